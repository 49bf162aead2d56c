import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

/**
 * tfjs belongs in the worker chunks only: the page's main thread renders state and never does
 * tensor math (docs/design.md, "Shape of the code"). This fails the build when any chunk of the
 * page (not of a worker) contains a module from @tensorflow, and names the modules. The eslint
 * rule in eslint.config.js catches most such imports early; this catches the transitive ones.
 */
function tfjsOnlyInWorkers(): Plugin {
  return {
    name: 'srbnas:tfjs-only-in-workers',
    apply: 'build',
    generateBundle(_options, bundle) {
      for (const chunk of Object.values(bundle)) {
        if (chunk.type !== 'chunk') continue;
        const tfjs = chunk.moduleIds.filter((id) => id.includes('/@tensorflow/'));
        if (tfjs.length > 0) {
          this.error(
            `main-thread chunk ${chunk.fileName} bundles tfjs (${tfjs.length} modules, e.g. ` +
              `${tfjs[0]}); import tfjs code only from the workers`,
          );
        }
      }
    },
  };
}

// The app is a static SPA; the worker is an ES module worker so it can import the core.
// Worker bundles are built with `worker.plugins`, so the guard above sees the page only.
export default defineConfig({
  plugins: [react(), tfjsOnlyInWorkers()],
  worker: { format: 'es' },
  build: { target: 'es2022', chunkSizeWarningLimit: 4096 },
});
