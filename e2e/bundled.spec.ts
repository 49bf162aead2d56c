import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test, expect } from '@playwright/test';

// The app must work out of the box: the bundled defaults in public/models are listed in the
// studio and their info panel shows the Set5 figures measured for them, i.e. those in the
// eval.json written by `srbnas eval` next to each model (scripts/publish-model.mjs).
const root = path.resolve(import.meta.dirname, '..');
const index = JSON.parse(readFileSync(path.join(root, 'public/models/index.json'), 'utf8')) as {
  id: string;
  path: string;
}[];
interface EvalJSON {
  results: { set: string; scale: number; psnr: number; ssim: number }[];
}
const set5 = (id: string) => {
  const { path: dir } = index.find((m) => m.id === id)!;
  const evaluation = JSON.parse(
    readFileSync(path.join(root, 'public', dir, 'eval.json'), 'utf8'),
  ) as EvalJSON;
  return evaluation.results.filter((r) => r.set === 'Set5');
};

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
  for (const { id } of index) {
    const rows = set5(id);
    expect(rows.length, `Set5 rows in public/models/${id}/eval.json`).toBeGreaterThan(0);
    await picker.selectOption(`bundled:${id}`);
    for (const r of rows)
      await expect(page.getByTestId('info-set5')).toContainText(
        `Set5 x${r.scale}: ${r.psnr.toFixed(2)} dB / ${r.ssim.toFixed(4)}`,
      );
  }
  await page.screenshot({ path: testInfo.outputPath('bundled.png') });
});
