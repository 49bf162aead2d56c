/**
 * `npm run screenshots`: the README's pictures of the two pages, taken from the production build
 * in Chromium (1280×900, JPEG quality 80):
 * - docs/images/playground.jpg: the playground on its default (demo) preset, Play pressed, after
 *   `--search-seconds` (default 40) of searching, so the α heat map, the derived cell and the
 *   curves have something to show; laid out in a window 1/`--zoom` (default 0.7) times as
 *   large, so that the views fit side by side. The backend is WASM (`?backend=wasm`): 'auto' picks WebGPU,
 *   which is SwiftShader on a machine without a GPU and ~10× slower a step.
 * - docs/images/studio.jpg: the studio (`/#studio`) with its default bundled model, after the
 *   bundled sample public/images/coffee.png is dropped on it and its upscale is done.
 *
 * Run: npm run screenshots [-- --port 4317] [-- --search-seconds 40] [-- --zoom 0.7]
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Page } from '@playwright/test';
import { chromiumLaunchOptions } from '../e2e/browser';
import { startPreview } from './preview';

const root = path.resolve(import.meta.dirname, '..');
const argv = process.argv.slice(2);
const arg = (name: string, dflt: number) =>
  Number(argv.includes(name) ? argv[argv.indexOf(name) + 1] : dflt);
const port = arg('--port', 4317);
const searchSeconds = arg('--search-seconds', 40);
// The playground's five views need a wide window to sit side by side (a grid of ≥ 460 px
// columns): it is laid out in a 1280/zoom × 900/zoom window and drawn at `zoom`.
const zoom = arg('--zoom', 0.7);
const outDir = path.join(root, 'docs/images');
const log = (s: string) => console.error(`[screenshots] ${s}`);

async function shoot(page: Page, name: string) {
  const file = path.join(outDir, name);
  await page.screenshot({ path: file, type: 'jpeg', quality: 80 });
  log(`${path.relative(root, file)}: ${(statSync(file).size / 1024).toFixed(0)} KB`);
}

async function playground(page: Page, url: string) {
  await page.goto(`${url}/?backend=wasm`);
  await page.getByTestId('backend').and(page.locator('[data-state="ready"]')).waitFor({
    timeout: 180_000,
  });
  await page.getByTestId('images-summary').waitFor({ timeout: 60_000 });
  await page.getByTestId('play').click();
  log(`searching for ${searchSeconds} s`);
  await page.waitForTimeout(searchSeconds * 1000);
  log(`step ${await page.getByTestId('step-counter').textContent()}`);
  await shoot(page, 'playground.jpg'); // still running, as a user would see it
}

async function studio(page: Page, url: string) {
  await page.goto(`${url}/#studio`);
  await page.getByTestId('studio-backend').and(page.locator('[data-state="ready"]')).waitFor({
    timeout: 180_000,
  });
  await page.getByTestId('model-info').waitFor({ timeout: 120_000 });
  const bytes = [...readFileSync(path.join(root, 'public/images/coffee.png'))];
  const dt = await page.evaluateHandle((b) => {
    const d = new DataTransfer();
    d.items.add(new File([new Uint8Array(b)], 'coffee.png', { type: 'image/png' }));
    return d;
  }, bytes);
  await page.getByTestId('studio-drop').dispatchEvent('drop', { dataTransfer: dt });
  const job = page.locator('[data-testid="studio-job"][data-name="coffee.png"]').first();
  await job.and(page.locator('[data-status="done"]')).waitFor({ timeout: 600_000 });
  log(`upscale done in ${await job.getAttribute('data-seconds')} s`);
  await page.waitForTimeout(1000);
  await shoot(page, 'studio.jpg');
}

if (!existsSync(path.join(root, 'dist/index.html')))
  execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
mkdirSync(outDir, { recursive: true });
const server = await startPreview(root, port);
const browser = await chromium.launch(chromiumLaunchOptions());
try {
  const page = await browser.newPage({
    viewport: { width: Math.round(1280 / zoom), height: Math.round(900 / zoom) },
    deviceScaleFactor: zoom,
  });
  page.on('pageerror', (e) => log(`page error: ${e.message}`));
  await playground(page, server.url);
  await page.close();
  const page2 = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page2.on('pageerror', (e) => log(`page error: ${e.message}`));
  await studio(page2, server.url);
} finally {
  await browser.close();
  server.stop();
}
