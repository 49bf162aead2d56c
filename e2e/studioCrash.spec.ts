import path from 'node:path';
import { test, expect, type Page } from '@playwright/test';
import { syntheticPng } from './fixtures';

// The studio's crash handling (modelled on crash.spec.ts for the playground): the test hook
// makes the studio worker throw an uncaught error; the page says so, keeps what the user
// asked for meanwhile, and the restart brings the worker, its model and the lost upscale back.
const root = path.resolve(import.meta.dirname, '..');
const FIXTURE = path.join(root, 'e2e/fixtures/tiny-x3');

const job = (page: Page, name: string) =>
  page.locator(`[data-testid="studio-job"][data-name="${name}"]`).first();
const pick = (page: Page, name: string, seed: number) =>
  page
    .getByTestId('studio-pick')
    .setInputFiles([{ name, mimeType: 'image/png', buffer: syntheticPng(24, 20, seed) }]);

test('a studio worker crash is reported, and the restart brings back the model and the lost upscale', async ({
  page,
}, testInfo) => {
  test.setTimeout(300_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto('/#studio');
  const backend = page.getByTestId('studio-backend');
  await expect(backend).toHaveAttribute('data-state', 'ready', { timeout: 120_000 });
  // The three bundled models first (each is selected as it arrives), then ours.
  const options = page.getByTestId('studio-model').locator('option');
  await expect(options).toHaveCount(4, { timeout: 60_000 });
  await page
    .getByTestId('studio-load-model')
    .setInputFiles([path.join(FIXTURE, 'model.json'), path.join(FIXTURE, 'weights.bin')]);
  const info = page.getByTestId('model-info');
  await expect(info).toContainText('tiny-x3', { timeout: 60_000 });

  await pick(page, 'before.png', 1);
  await expect(job(page, 'before.png')).toHaveAttribute('data-status', 'done', {
    timeout: 120_000,
  });
  await expect(job(page, 'before.png').getByTestId('job-out-size')).toContainText('72×60');

  await page.evaluate(() =>
    (
      window as unknown as { __srbnasStudio: { crashWorker: () => void } }
    ).__srbnasStudio.crashWorker(),
  );
  const banner = page.getByTestId('studio-crash-banner');
  await expect(banner).toBeVisible({ timeout: 30_000 });
  await expect(banner).toContainText('crash requested by the page');
  await expect(backend).toHaveAttribute('data-state', 'error');

  // Asked for while the worker is down: kept, and said so, not silently dropped.
  await pick(page, 'during.png', 2);
  await expect(job(page, 'during.png')).toHaveAttribute('data-status', 'error');
  await expect(job(page, 'during.png')).toContainText('restart it');
  await expect(banner.getByTestId('studio-restart')).toContainText('1 upscale again');
  await page.screenshot({ path: testInfo.outputPath('crashed.png'), fullPage: true });

  await banner.getByTestId('studio-restart').click();
  await expect(banner).toBeHidden();
  await expect(backend).toHaveAttribute('data-state', 'ready', { timeout: 120_000 });
  await expect(job(page, 'during.png')).toHaveAttribute('data-status', 'done', {
    timeout: 120_000,
  });
  await expect(job(page, 'during.png').getByTestId('job-out-size')).toContainText('72×60');
  // The model came back into the fresh worker and is still the one selected.
  await expect(info).toContainText('tiny-x3');
  await expect(options).toHaveCount(5); // the bundled three, ours, bicubic: none lost or doubled
  await pick(page, 'after.png', 3);
  await expect(job(page, 'after.png')).toHaveAttribute('data-status', 'done', {
    timeout: 120_000,
  });
  await expect(job(page, 'after.png').getByTestId('job-out-size')).toContainText('72×60');
  await page.screenshot({ path: testInfo.outputPath('restarted.png'), fullPage: true });
  expect(errors).toEqual([]);
});
