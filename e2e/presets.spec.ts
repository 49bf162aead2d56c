import { test, expect, type Page } from '@playwright/test';

const stepOf = async (page: Page) => Number(await page.getByTestId('step-counter').textContent());

test('presets: demo by default, paper one click away (in the URL, with why they differ); the run shows its step-0 cell and the data share of the α gradient', async ({
  page,
}, testInfo) => {
  test.setTimeout(240_000);
  await page.goto('/?backend=wasm');
  await expect(page.getByTestId('preset-name')).toHaveText('demo (minutes)');
  await page.getByTestId('preset-why').locator('summary').click();
  await expect(page.getByTestId('preset-why')).toContainText('κ = 10⁵');
  await page.getByTestId('preset-paper').click();
  await expect(page.getByTestId('preset-name')).toHaveText('paper (literal)');
  await expect(page.getByTestId('input-channels')).toHaveValue('64');
  await expect(page.getByTestId('input-dataWeight')).toHaveValue('1');
  expect(page.url()).toContain('preset=paper');
  await page.getByTestId('input-channels').fill('32');
  await expect(page.getByTestId('preset-name')).toHaveText('custom');
  await page.getByTestId('preset-demo').click();
  await expect(page.getByTestId('preset-name')).toHaveText('demo (minutes)');
  expect(page.url()).not.toContain('preset=');

  // A tiny run on WASM: the step-0 snapshot comes first (the derived cell before any step).
  await page.goto(
    '/?cells=1&channels=4&k=1&groups=1&batch=1&patch=8&epochs=10&stepsPerEpoch=2&warmupEpochs=1&regEpochs=10&backend=wasm',
  );
  await expect(page.getByTestId('backend')).toHaveAttribute('data-backend', 'wasm', {
    timeout: 90_000,
  });
  await page.getByTestId('step').click(); // builds the search paused, then one step
  await expect(page.getByTestId('vs-initial')).toContainText('of 14 edges', { timeout: 60_000 });
  await page.getByTestId('play').click();
  await expect.poll(() => stepOf(page), { timeout: 120_000 }).toBeGreaterThanOrEqual(5);
  const share = page.locator('[data-testid="curves-svg"] g.curve[data-key="dataShare"]');
  await expect(share).not.toHaveAttribute('data-points', '0');
  const label = await share.locator('text.label').textContent();
  const pct = Number(/: (\d+)$/.exec(label ?? '')?.[1]);
  expect(pct).toBeGreaterThan(0);
  expect(pct).toBeLessThanOrEqual(100);
  await page.screenshot({ path: testInfo.outputPath('presets.png'), fullPage: true });
});
