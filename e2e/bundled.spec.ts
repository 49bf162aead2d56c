import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test, expect } from '@playwright/test';

// The app must work out of the box: the bundled defaults in public/models are listed in the
// studio and their info panel shows the Set5 figures recorded next to them.
const root = path.resolve(import.meta.dirname, '..');
const index = JSON.parse(readFileSync(path.join(root, 'public/models/index.json'), 'utf8')) as {
  id: string;
}[];

test('bundled default models load in the studio with their measured Set5 numbers', async ({
  page,
}, testInfo) => {
  await page.goto('/#studio');
  await expect(page.getByTestId('studio-backend')).toHaveAttribute('data-state', 'ready', {
    timeout: 120_000,
  });
  const picker = page.getByTestId('studio-model');
  for (const { id } of index)
    await expect(picker.locator(`option[value="bundled:${id}"]`)).toHaveCount(1, {
      timeout: 60_000,
    });
  await expect(page.getByTestId('model-error')).toHaveCount(0);
  await picker.selectOption(`bundled:${index[0].id}`);
  await expect(page.getByTestId('info-set5')).toContainText(/Set5 x\d: \d\d\.\d\d dB/);
  await page.screenshot({ path: testInfo.outputPath('bundled.png') });
});
