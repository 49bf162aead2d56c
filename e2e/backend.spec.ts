import { test, expect, type Page } from '@playwright/test';

const TINY =
  '/?cells=1&channels=4&k=1&groups=1&batch=1&patch=8&epochs=10&stepsPerEpoch=2&warmupEpochs=1&regEpochs=10';

const stepOf = async (page: Page) => Number(await page.getByTestId('step-counter').textContent());

test('auto passes over a software WebGPU adapter to WASM; WebGPU can be forced and switched back (in the URL)', async ({
  page,
}, testInfo) => {
  test.setTimeout(180_000);
  await page.goto(TINY);
  const badge = page.getByTestId('backend');
  await expect(badge).toHaveAttribute('data-state', 'ready', { timeout: 90_000 });
  // SwiftShader here: auto chose WASM by itself and says why.
  await expect(badge).toHaveAttribute('data-backend', 'wasm');
  await expect(page.getByTestId('software-adapter-avoided')).toContainText('software adapter');
  await expect(page.getByTestId('run-log')).toContainText('so auto chose wasm');
  // Forcing WebGPU keeps it (flagged, with a one-click way back).
  await page.getByTestId('select-backend').selectOption('webgpu');
  await expect(badge).toHaveAttribute('data-backend', 'webgpu', { timeout: 90_000 });
  expect(page.url()).toContain('backend=webgpu');
  const warn = page.getByTestId('software-adapter');
  await expect(warn).toBeVisible();
  await warn.getByRole('button', { name: 'Use WASM' }).click();
  await expect(badge).toHaveAttribute('data-backend', 'wasm', { timeout: 60_000 });
  expect(page.url()).toContain('backend=wasm');
  await page.getByTestId('play').click();
  await expect.poll(() => stepOf(page), { timeout: 120_000 }).toBeGreaterThanOrEqual(3);
  await expect(page.getByTestId('derived-svg').locator('path.edge')).toHaveCount(8);
  const ms = await page
    .getByTestId('run-status')
    .evaluate(() => document.querySelector('.status')?.textContent);
  console.log(`[backend] wasm status: ${ms}`);
  await page.getByTestId('pause').click();
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'paused', {
    timeout: 60_000,
  });
  // The preference survives a reload (it is in the URL).
  await page.reload();
  await expect(badge).toHaveAttribute('data-backend', 'wasm', { timeout: 60_000 });
  await expect(page.getByTestId('select-backend')).toHaveValue('wasm');
  // Step from idle, by keyboard (S): builds the supernet paused and takes exactly one step.
  await expect(page.getByTestId('step')).toBeEnabled();
  await page.keyboard.press('s');
  await expect.poll(() => stepOf(page), { timeout: 60_000 }).toBe(1);
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'paused');
  await page.getByTestId('step').click();
  await expect.poll(() => stepOf(page), { timeout: 60_000 }).toBe(2);
  await page.screenshot({ path: testInfo.outputPath('wasm.png'), fullPage: true });
});
