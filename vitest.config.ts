import { defineConfig } from 'vitest/config';

// Unit tests run in Node on the same core the browser uses.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    testTimeout: 300_000,
    hookTimeout: 300_000,
    pool: 'forks',
    // As src/cli/nodeBackend.ts does for the CLI: the packed kernel's relaxed-SIMD build runs
    // (binconv.test.ts runs the plain build too).
    execArgv: ['--experimental-wasm-relaxed-simd'],
  },
});
