import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';
import base from './vitest.config';

/**
 * The tests mutation testing runs (stryker.config.mjs): those of src/core only. The CLI and
 * worker tests also reach core code but take minutes, once per mutant.
 */

/**
 * Test files that take seconds (measured with `npx vitest run src/core`), in the order to run
 * them: last, cheapest first. Stryker stops at the first failing test (bail), so a mutant that
 * a unit test catches should not wait for the 50-step search first (vitest's own order runs
 * the slowest files first).
 */
const SLOW_LAST = [
  'src/core/model/format.test.ts',
  'src/core/search/supernet.test.ts',
  'src/core/model/infer.test.ts',
  'src/core/train/trainer.test.ts',
  'src/core/train/assembly.test.ts',
  'src/core/search/assembly.test.ts',
  'src/core/image/bicubic.datasets.test.ts',
  'src/core/search/search.test.ts',
];
class FastFirst extends BaseSequencer {
  async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (f: TestSpecification) =>
      SLOW_LAST.findIndex((s) => f.moduleId.replaceAll('\\', '/').endsWith(s));
    return [...files].sort((a, b) => rank(a) - rank(b) || a.moduleId.localeCompare(b.moduleId));
  }
}

// isolate: false keeps tfjs and the WASM backend loaded between the runs of one test process
// (re-importing them took most of each mutant's time). Stryker switches mutants at run time,
// so nothing needs reloading; the core tests pass this way (they use distinct variable names).
export default defineConfig({
  test: {
    ...base.test,
    include: ['src/core/**/*.test.ts'],
    // Checks the committed .wasm against a rebuild of its AssemblyScript source (a build
    // artefact, not code Stryker mutates), and the rebuild fails inside Stryker's sandbox copy.
    exclude: ['src/core/kernels/kernels.test.ts'],
    isolate: false,
    sequence: { sequencer: FastFirst },
  },
});
