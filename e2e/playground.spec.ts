import { readFileSync } from 'node:fs';
import { test, expect, type Page } from '@playwright/test';
import { validateGenotypeJSON } from '../src/core/search/genotype';
import { syntheticPng } from './fixtures';

// A tiny search: SwiftShader WebGPU is slow and compiles each shader on first use (~15 s).
// Measured here (2 shared cores, SwiftShader): C=4, groups 1, batch 1 → 5–10 s a step; C=8, k=2,
// groups 4, batch 2 → minutes for the first steps. α/β start after 1 epoch = step 3.
const TINY =
  '/?cells=1&channels=4&k=1&groups=1&batch=1&patch=8&epochs=10&stepsPerEpoch=2&warmupEpochs=1&regEpochs=10&backend=webgpu';

const stepOf = async (page: Page) => Number(await page.getByTestId('step-counter').textContent());

test('playground: tiny search in the worker, live μ, pause, export/import, reload keeps and resumes the run', async ({
  page,
}, testInfo) => {
  test.setTimeout(300_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  // Long tasks on the main thread from page load on (the search itself runs in the worker).
  await page.addInitScript(() => {
    const w = window as unknown as { __longTasks: number[] };
    w.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.__longTasks.push(e.duration);
    }).observe({ type: 'longtask', buffered: true });
  });

  await page.goto(TINY);
  const badge = page.getByTestId('backend');
  await expect(badge).toHaveAttribute('data-state', 'ready', { timeout: 90_000 });
  await expect(badge).toHaveAttribute('data-backend', 'webgpu');
  await expect(page.getByTestId('input-channels')).toHaveValue('4');

  // A corrupt image is refused with its name; nothing else breaks.
  await page.getByTestId('pick-images').setInputFiles({
    name: 'corrupt.png',
    mimeType: 'image/png',
    buffer: syntheticPng(64, 64, 0).subarray(0, 80),
  });
  await expect(page.getByTestId('images-error')).toContainText('corrupt.png');

  // Training data: two user-picked images (exercises decode + transfer to the worker).
  await page.getByTestId('pick-images').setInputFiles([
    { name: 'rings-a.png', mimeType: 'image/png', buffer: syntheticPng(96, 96, 0) },
    { name: 'rings-b.png', mimeType: 'image/png', buffer: syntheticPng(96, 96, 2) },
  ]);
  await expect(page.getByTestId('images-summary')).toContainText('2 image(s)');

  // Play: the worker builds the supernet and steps.
  const t0 = Date.now();
  const loadTasks = await page.evaluate(
    () => (window as unknown as { __longTasks: number[] }).__longTasks.length,
  );
  await page.getByTestId('play').click();
  await expect.poll(() => stepOf(page), { timeout: 150_000 }).toBeGreaterThanOrEqual(1);
  const firstStepS = (Date.now() - t0) / 1000;
  const supernet = page.getByTestId('supernet-svg');
  const derived = page.getByTestId('derived-svg');
  await expect(supernet.locator('path.edge')).toHaveCount(14);
  await expect(derived.locator('path.edge')).toHaveCount(8);
  // Both cells draw the same frame once: six states and one output box, however often they re-render.
  for (const svg of [supernet, derived]) {
    await expect(svg.locator('g.node')).toHaveCount(6);
    await expect(svg.locator('g.out')).toHaveCount(1);
    await expect(svg.locator('g.node title').first()).toHaveText('c_{k-2}');
  }
  const gatesBefore = await supernet
    .locator('path.edge')
    .evaluateAll((ps) => ps.map((p) => p.getAttribute('data-gate')));
  const barsBefore = await supernet.locator('g.bars').first().innerHTML();
  await page.screenshot({ path: testInfo.outputPath('1-running.png'), fullPage: true });

  // Live μ mid-run: the worker acknowledges at which step it took effect.
  await page.getByTestId('slider-mu').fill('0.35');
  await expect(page.getByTestId('value-mu')).toHaveText('0.35');
  await expect(page.getByTestId('run-log')).toContainText(
    /setLive μ=0\.35 took effect at step \d+/,
    {
      timeout: 60_000,
    },
  );
  expect(page.url()).toContain('mu=0.35');

  // Content changes as α/β train (after the 1-epoch warm-up).
  await expect
    .poll(
      async () => {
        const gates = await supernet
          .locator('path.edge')
          .evaluateAll((ps) => ps.map((p) => p.getAttribute('data-gate')));
        const bars = await supernet.locator('g.bars').first().innerHTML();
        return gates.join() !== gatesBefore.join() && bars !== barsBefore;
      },
      { timeout: 150_000 },
    )
    .toBe(true);
  const stepsAtChange = await stepOf(page);
  await expect(page.getByTestId('timeline-svg').locator('rect.seg').first()).toBeVisible();
  await expect(
    page.getByTestId('curves-svg').locator('g.curve[data-key="wLoss"]'),
  ).not.toHaveAttribute('data-points', '0');

  // Pause stops progress: the step counter stays.
  await page.getByTestId('pause').click();
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'paused', {
    timeout: 60_000,
  });
  const pausedAt = await stepOf(page);
  await page.waitForTimeout(4000);
  expect(await stepOf(page)).toBe(pausedAt);
  // Step advances exactly one.
  await page.getByTestId('step').click();
  await expect.poll(() => stepOf(page), { timeout: 60_000 }).toBe(pausedAt + 1);
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'paused');
  await page.screenshot({ path: testInfo.outputPath('2-paused.png'), fullPage: true });

  // Long tasks from Play to here (the run: steps in the worker, views re-rendering per snapshot).
  const longTasks = await page.evaluate(
    (from) => (window as unknown as { __longTasks: number[] }).__longTasks.slice(from),
    loadTasks,
  );
  const shownSteps = await stepOf(page);
  const runMs = Date.now() - t0;

  // Export: a genotype JSON the core validator accepts.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('export-genotype').click(),
  ]);
  const exportedPath = testInfo.outputPath('exported-genotype.json');
  await download.saveAs(exportedPath);
  const exported = JSON.parse(readFileSync(exportedPath, 'utf8'));
  const v = validateGenotypeJSON(exported);
  expect(v.ok, JSON.stringify(v)).toBe(true);
  expect(exported.search.mu).toBe(0.35);
  expect(exported.search.backend).toBe('webgpu');

  // Import a broken file: the message names the field.
  const broken = {
    ...exported,
    normal: exported.normal.map((p: [string, number], i: number) =>
      i === 3 ? ['bin_conv_9x9', p[1]] : p,
    ),
  };
  await page.getByTestId('import-genotype').setInputFiles({
    name: 'broken.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify(broken)),
  });
  await expect(page.getByTestId('import-error')).toContainText('normal[3][0]');
  await page.getByTestId('import-genotype').setInputFiles({
    name: 'not-json.json',
    mimeType: 'application/json',
    buffer: Buffer.from('{"format": "srbnas-genotype", '),
  });
  await expect(page.getByTestId('import-error')).toContainText('not valid JSON');
  // And the good one shows its cell.
  await page.getByTestId('import-genotype').setInputFiles(exportedPath);
  await expect(page.getByTestId('imported-svg').locator('path.edge')).toHaveCount(8);
  await page.screenshot({ path: testInfo.outputPath('3-imported.png'), fullPage: true });

  // μ/ρ explorer: under the paper's literal L1 (on softmax p) the μ term has no gradient;
  // on the logits it has.
  const note = page.getByTestId('mu-gradient-note');
  await expect(note).toContainText('no gradient');
  const muGrad = async () => Number(await note.getAttribute('data-max-mu-grad'));
  expect(await muGrad()).toBeLessThan(1e-9);
  await page.getByTestId('select-l1Target').selectOption('logits');
  await expect(page.getByTestId('simplex-svg')).toHaveAttribute('data-target', 'logits');
  expect(await muGrad()).toBeGreaterThan(0.1);
  await page.getByTestId('select-l1Target').selectOption('softmax');

  // Reload: the run is still listed (IndexedDB), with its step and μ.
  const runId = await page
    .locator('[data-testid="runs-table"] tr.current')
    .getAttribute('data-run');
  expect(runId).toBeTruthy();
  // The paused run's checkpoint is in IndexedDB before we reload.
  await expect(page.getByTestId('run-log')).toContainText(
    `checkpoint saved at step ${pausedAt + 1}`,
  );
  await page.reload();
  const row = page.locator(`[data-testid="runs-table"] tr[data-run="${runId}"]`);
  await expect(row).toBeVisible({ timeout: 30_000 });
  await expect(row).toContainText(`${pausedAt + 1}/20`);
  await expect(row).toContainText('0.35');
  await page.screenshot({ path: testInfo.outputPath('4-reloaded.png'), fullPage: true });

  // …and it resumes from its checkpoint: the step counter continues from where it paused.
  await expect(page.getByTestId('backend')).toHaveAttribute('data-backend', 'webgpu', {
    timeout: 90_000,
  });
  await row.getByTestId('resume-run').click();
  await expect(page.getByTestId('run-log')).toContainText(
    `resumed from the checkpoint at step ${pausedAt + 1}`,
    {
      timeout: 60_000,
    },
  );
  await expect.poll(() => stepOf(page), { timeout: 120_000 }).toBeGreaterThanOrEqual(pausedAt + 2);
  expect(await stepOf(page)).toBeGreaterThan(pausedAt + 1);
  await expect(page.getByTestId('value-mu')).toHaveText('0.35');
  await page.getByTestId('pause').click();
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'paused', {
    timeout: 60_000,
  });
  await page.screenshot({ path: testInfo.outputPath('5-resumed.png'), fullPage: true });

  const total = longTasks.reduce((a, b) => a + b, 0);
  console.log(
    `[playground] first step after ${firstStepS.toFixed(1)} s; α/β visibly moved by step ${stepsAtChange}; ` +
      `main-thread long tasks during ${(runMs / 1000).toFixed(1)} s of search (${shownSteps} steps): n=${longTasks.length}, ` +
      `total ${total.toFixed(0)} ms, max ${Math.max(0, ...longTasks).toFixed(0)} ms`,
  );
  expect(errors).toEqual([]);
});
