import { defineConfig } from 'vitest/config';

// Unit tests run in Node on the same core the browser uses.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    testTimeout: 300_000,
    hookTimeout: 300_000,
    pool: 'forks',
    // Node 20 needs a flag for relaxed SIMD (the packed kernel's faster build): vitest.setup.ts.
    setupFiles: ['./vitest.setup.ts'],
  },
});
