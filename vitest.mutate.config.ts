import { defineConfig } from 'vitest/config';
import base from './vitest.config';

// The tests mutation testing runs (stryker.config.mjs): those of src/core only. The CLI and
// worker tests also reach core code but take minutes, once per mutant.
// isolate: false keeps tfjs and the WASM backend loaded between the runs of one test process
// (re-importing them took most of each mutant's time). Stryker switches mutants at run time,
// so nothing needs reloading; the core tests pass this way (they use distinct variable names).
export default defineConfig({
  test: { ...base.test, include: ['src/core/**/*.test.ts'], isolate: false },
});
