import { defineConfig } from 'vitest/config';
import base from './vitest.config';

// The tests mutation testing runs (stryker.config.mjs): those of src/core only. The CLI and
// worker tests also reach core code but take minutes, once per mutant.
export default defineConfig({ test: { ...base.test, include: ['src/core/**/*.test.ts'] } });
