import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions } from './e2e/browser';

// e2e runs against the production build (vite preview) in a real Chromium with WebGPU on
// SwiftShader. Debian's /usr/bin/chromium is used when present (Playwright cannot download
// its own browser on our machines); elsewhere Playwright's bundled browser.
// E2E_PORT lets several checkouts run their e2e at once without reusing each other's server.
const port = Number(process.env.E2E_PORT ?? 4173);

export default defineConfig({
  testDir: 'e2e',
  timeout: 180_000,
  expect: { timeout: 60_000 },
  workers: 1,
  reporter: [['list']],
  outputDir: 'test-results',
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    launchOptions: chromiumLaunchOptions(),
    screenshot: 'on',
    trace: 'off',
  },
  webServer: {
    command: `npx vite preview --host 127.0.0.1 --port ${port} --strictPort`,
    url: `http://127.0.0.1:${port}`,
    reuseExistingServer: !process.env.CI,
    timeout: 60_000,
  },
});
