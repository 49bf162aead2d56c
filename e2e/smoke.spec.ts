import { test, expect } from '@playwright/test';

test('page loads on the demo preset; auto picks WebGPU, or WASM over a software adapter, and says so', async ({
  page,
}, testInfo) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'SRBNAS Playground' })).toBeVisible();
  const badge = page.getByTestId('backend');
  await expect(badge).toHaveAttribute('data-state', 'ready', { timeout: 90_000 });
  await expect(page.getByTestId('preset-name')).toHaveText('demo (minutes)');
  // Without a GPU (here: SwiftShader) auto passes over WebGPU to WASM and the page says why.
  const avoided = page.getByTestId('software-adapter-avoided');
  if (await avoided.isVisible()) {
    await expect(badge).toHaveAttribute('data-backend', 'wasm');
    await expect(avoided).toContainText('software adapter');
  } else await expect(badge).toHaveAttribute('data-backend', 'webgpu');
  await page.screenshot({ path: testInfo.outputPath('smoke.png') });
  expect(errors).toEqual([]);
});
