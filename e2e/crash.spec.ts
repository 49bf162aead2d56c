import { test, expect, type Page } from '@playwright/test';

const TINY =
  '/?cells=1&channels=4&k=1&groups=1&batch=1&patch=8&epochs=10&stepsPerEpoch=2&warmupEpochs=1&regEpochs=10&mu=0.5&rho=0.5&backend=webgpu';

const stepOf = async (page: Page) => Number(await page.getByTestId('step-counter').textContent());

test('a worker crash is reported and the search restarts from the last snapshot config', async ({
  page,
}, testInfo) => {
  test.setTimeout(240_000);
  await page.goto(TINY);
  await expect(page.getByTestId('backend')).toHaveAttribute('data-backend', 'webgpu', {
    timeout: 90_000,
  });
  // No images picked: Play fetches the bundled defaults (public/images) as same-origin files.
  await page.getByTestId('play').click();
  await expect(page.getByTestId('images-summary')).toContainText(
    '4 image(s): astronaut.png 256×256',
  );
  await expect.poll(() => stepOf(page), { timeout: 150_000 }).toBeGreaterThanOrEqual(1);
  // A live change before the crash: the restart must carry it (it is in the last snapshot).
  await page.getByTestId('slider-rho').fill('0.8');
  await expect(page.getByTestId('run-log')).toContainText('setLive ρ=0.8 took effect', {
    timeout: 60_000,
  });

  await page.evaluate(() =>
    (
      window as unknown as { __srbnasDebug: { crashWorker: () => void } }
    ).__srbnasDebug.crashWorker(),
  );
  const banner = page.getByTestId('crash-banner');
  await expect(banner).toBeVisible({ timeout: 30_000 });
  await expect(banner).toContainText('crash requested by the page');
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'crashed');
  await page.screenshot({ path: testInfo.outputPath('crashed.png'), fullPage: true });

  await banner.getByRole('button').click();
  await expect(banner).toBeHidden();
  await expect(page.getByTestId('backend')).toHaveAttribute('data-backend', 'webgpu', {
    timeout: 90_000,
  });
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'running', {
    timeout: 60_000,
  });
  await expect.poll(() => stepOf(page), { timeout: 150_000 }).toBeGreaterThanOrEqual(1);
  // The new run uses the crashed run's live settings.
  await expect(page.getByTestId('value-rho')).toHaveText('0.8');
  const rows = page.locator('[data-testid="runs-table"] tbody tr');
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(1)).toContainText('crashed');
  await expect(rows.nth(0)).toContainText('0.8');
  await page.screenshot({ path: testInfo.outputPath('restarted.png'), fullPage: true });
});
