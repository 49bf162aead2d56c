import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test, expect, type Page } from '@playwright/test';

// The packed engine in a real Chromium: packed vs float engine on the same backend, through the
// bench page (bench/infer.html, window.srbnasInfer). WASM runs the XNOR-popcount kernel, WebGPU
// (SwiftShader here) the WGSL countOneBits kernel.
const root = path.resolve(import.meta.dirname, '..');

async function openBench(page: Page) {
  // The float masters are not shipped in the app; serve them to the page for the comparison.
  await page.route('**/float-models/**', async (route) => {
    const rel = new URL(route.request().url()).pathname.replace(/^.*\/float-models\//, '');
    const file = path.join(root, 'models/float', rel);
    if (!existsSync(file)) return route.fulfill({ status: 404 });
    await route.fulfill({ body: readFileSync(file) });
  });
  await page.goto('/bench/infer.html');
  await page.waitForFunction(() => document.body.dataset.ready === '1');
}

type Compare = { backend: string; kernel: string; maxDiff: number; maxGrey: number };
const compare = (page: Page, backend: string, size: number) =>
  page.evaluate(
    (o) =>
      (
        window as unknown as { srbnasInfer: { compare(o: unknown): Promise<Compare> } }
      ).srbnasInfer.compare(o),
    { backend, packedDir: '/models/x3', floatDir: '/float-models/x3', size },
  );

test('the page is cross-origin isolated (COOP/COEP from vite preview)', async ({ page }) => {
  await openBench(page);
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
});

test('packed = float on WASM in the browser (XNOR-popcount kernel), bit for bit', async ({
  page,
}) => {
  await openBench(page);
  const r = await compare(page, 'wasm', 40);
  expect(r).toMatchObject({ backend: 'wasm', kernel: 'wasm', maxDiff: 0, maxGrey: 0 });
});

test('packed ≈ float on WebGPU (WGSL countOneBits kernel)', async ({ page }) => {
  test.setTimeout(300_000);
  await openBench(page);
  const r = await compare(page, 'webgpu', 24);
  console.log('[packed.spec] webgpu', JSON.stringify(r));
  expect(r.backend).toBe('webgpu');
  expect(r.kernel).toBe('webgpu');
  // The dot products are integers and exact on both sides; measured: maxDiff 0. The one allowed
  // grey level is for the float engine's own folding on GPU backends (foldBinaryTensors: Libra-PB
  // in float32 with tf.round, where the packed model was folded in double precision): a weight
  // within float32 rounding of its channel mean could take the other sign there.
  expect(r.maxGrey).toBeLessThanOrEqual(1);
});

test('studio "auto" skips the software WebGPU adapter for WASM and says so', async ({ page }) => {
  await page.goto('/#studio');
  const badge = page.getByTestId('studio-backend');
  await expect(badge).toHaveAttribute('data-state', 'ready', { timeout: 120_000 });
  await expect(badge).toHaveAttribute('data-backend', 'wasm');
  await expect(page.getByTestId('studio-backend-note')).toContainText(/software adapter/i);
});

test('the bundled models are packed files and run on the packed engine', async ({ page }) => {
  await page.goto('/#studio');
  await expect(page.getByTestId('studio-backend')).toHaveAttribute('data-state', 'ready', {
    timeout: 120_000,
  });
  const picker = page.getByTestId('studio-model');
  await expect(picker.locator('option[value="bundled:x3"]')).toHaveCount(1, { timeout: 60_000 });
  await picker.selectOption('bundled:x3');
  await expect(page.getByTestId('info-engine')).toHaveText('packed engine (packed file)');
});
