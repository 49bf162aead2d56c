import { test, expect } from '@playwright/test';

test('page loads and the worker reports the WebGPU backend', async ({ page }, testInfo) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'SRBNAS Playground' })).toBeVisible();
  const badge = page.getByTestId('backend');
  await expect(badge).toHaveAttribute('data-state', 'ready', { timeout: 90_000 });
  await expect(badge).toHaveAttribute('data-backend', 'webgpu');
  await page.screenshot({ path: testInfo.outputPath('smoke.png') });
  expect(errors).toEqual([]);
});
