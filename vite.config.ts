import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The app is a static SPA; the worker is an ES module worker so it can import the core.
export default defineConfig({
  plugins: [react()],
  worker: { format: 'es' },
  build: { target: 'es2022', chunkSizeWarningLimit: 4096 },
});
