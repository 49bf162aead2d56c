import { resolve } from 'node:path';
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
        if (chunk.name === 'infer' || chunk.facadeModuleId?.endsWith('bench/infer.html')) continue;
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

// Cross-origin isolation (COOP + COEP) makes SharedArrayBuffer and WASM threads available to
// the page and its workers (`crossOriginIsolated` is true). Everything the app loads is
// same-origin, so `require-corp` costs nothing. Serve a production build (dist/) with the same
// two headers; README "Serving the build" shows them for common servers.
export const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

// The app is a static SPA; the worker is an ES module worker so it can import the core.
// Worker bundles are built with `worker.plugins`, so the guard above sees the page only.
// bench/infer.html is the page `npm run bench:infer` and e2e drive (engine × backend timing):
// a bench page that runs tfjs on its own main thread on purpose, so the guard skips it.
export default defineConfig({
  plugins: [react(), tfjsOnlyInWorkers()],
  worker: { format: 'es' },
  server: { headers: ISOLATION_HEADERS },
  preview: { headers: ISOLATION_HEADERS },
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 4096,
    rollupOptions: {
      input: {
        main: resolve(import.meta.dirname, 'index.html'),
        infer: resolve(import.meta.dirname, 'bench/infer.html'),
      },
    },
  },
});
