import { resolve } from 'node:path';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// Cross-origin isolation (COOP + COEP) makes SharedArrayBuffer and WASM threads available to
// the page and its workers (`crossOriginIsolated` is true). Everything the app loads is
// same-origin, so `require-corp` costs nothing. Serve a production build (dist/) with the same
// two headers; README "Serving the build" shows them for common servers.
export const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

// The app is a static SPA; the worker is an ES module worker so it can import the core.
// bench/infer.html is the page `npm run bench:infer` and e2e drive (engine × backend timing).
export default defineConfig({
  plugins: [react()],
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
