// Mutation testing of src/core (StrykerJS + its vitest runner). Not part of `npm test` or CI:
// it reruns the core tests once per mutant and takes hours on 2 cores. Run it folder by folder
// with `npm run mutate -- nn search` (scripts/mutate.mjs), which also prints the score per folder.
//
// Choices:
// - Only the tests under src/core run (vitest.mutate.config.ts): they are the bulk of the tests and fast;
//   the CLI/worker tests would add minutes per mutant.
// - coverageAnalysis perTest: each mutant runs only the tests that reach it.
// - ignoreStatic: mutants in module-level code (constant tables, defaults) would each rerun every
//   test; they are left out of the score and counted as "ignored" in the report.
// - incremental: a rerun after adding tests re-tests only mutants whose code or tests changed.
const folder = process.env.SRBNAS_MUTATE_FOLDER ?? 'all';
const glob =
  folder === 'all' ? 'src/core/**' : folder === '.' ? 'src/core/*' : `src/core/${folder}/**`;

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  plugins: ['@stryker-mutator/vitest-runner'],
  // The runner forces one worker thread (pool: threads) whatever vitest.config.ts says.
  // related: false, because vitest's related-file lookup finds nothing from the sandbox; the
  // perTest coverage of the initial run picks each mutant's tests anyway.
  vitest: { configFile: 'vitest.mutate.config.ts', related: false },
  coverageAnalysis: 'perTest',
  ignoreStatic: true,
  mutate: [
    `${glob}.ts`,
    '!src/core/**/*.test.ts',
    '!src/core/**/__fixtures__/**',
    // Test helpers, not product code.
    '!src/core/nn/testBackend.ts',
    '!src/core/model/testUtil.ts',
    '!src/core/nn/convReference.ts',
    '!src/core/testing/**',
  ],
  concurrency: 1,
  // Added to 1.5 × a mutant's normal test time before it counts as "timed out" (an endless loop).
  timeoutMS: 10_000,
  // The first run of every core test (for perTest coverage) took 2.5 min on a busy machine.
  dryRunTimeoutMinutes: 30,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: `reports/mutation/${folder.replace('.', 'root')}.html` },
  jsonReporter: { fileName: `reports/mutation/${folder.replace('.', 'root')}.json` },
  incremental: true,
  incrementalFile: `reports/stryker-incremental-${folder.replace('.', 'root')}.json`,
  tempDirName: '.stryker-tmp',
  cleanTempDir: true,
  // The sandbox is a copy of the repository: leave out what the core tests never read.
  ignorePatterns: [
    'dist',
    'reports',
    'runs',
    'test-results',
    'playwright-report',
    'public',
    'models',
    'e2e',
    'python',
  ],
  thresholds: { high: 90, low: 85, break: null },
};
