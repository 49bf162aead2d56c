import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PNG } from 'pngjs';
import { test, expect, type Page } from '@playwright/test';
import { syntheticPng } from './fixtures';

// The studio on SwiftShader WebGPU: a tiny CLI-trained model (e2e/fixtures/tiny-x3: 1 cell,
// C=8, made with `srbnas train ... --cells 1 --channels 8`) and small images keep it bearable.
const root = path.resolve(import.meta.dirname, '..');
const FIXTURE = path.join(root, 'e2e/fixtures/tiny-x3');
const SAMPLE = path.join(root, 'public/images/coffee.png');

const job = (page: Page, name: string) =>
  page.locator(`[data-testid="studio-job"][data-name="${name}"]`).first();

async function openStudio(page: Page) {
  await page.goto('/#studio');
  await expect(page.getByTestId('studio-backend')).toHaveAttribute('data-state', 'ready', {
    timeout: 120_000,
  });
}

async function loadFixtureModel(page: Page) {
  await page
    .getByTestId('studio-load-model')
    .setInputFiles([path.join(FIXTURE, 'model.json'), path.join(FIXTURE, 'weights.bin')]);
  // Its own panel, not the first bundled model's (which may show while the fixture's load waits
  // in the worker's queue).
  await expect(page.getByTestId('model-info').locator('h3')).toHaveText('tiny-x3', {
    timeout: 60_000,
  });
}

/** A real drag-and-drop of files onto the drop zone (DataTransfer built in the page). */
async function dropFiles(page: Page, files: { name: string; type: string; bytes: Buffer }[]) {
  const payload = files.map((f) => ({ ...f, bytes: [...f.bytes] }));
  const dt = await page.evaluateHandle((fs) => {
    const d = new DataTransfer();
    for (const f of fs) d.items.add(new File([new Uint8Array(f.bytes)], f.name, { type: f.type }));
    return d;
  }, payload);
  await page.getByTestId('studio-drop').dispatchEvent('drop', { dataTransfer: dt });
}

const pick = (page: Page, files: { name: string; mimeType: string; buffer: Buffer }[]) =>
  page.getByTestId('studio-pick').setInputFiles(files);

function decodePng(buf: Buffer): { width: number; height: number; data: Buffer } {
  const p = PNG.sync.read(buf);
  return { width: p.width, height: p.height, data: p.data };
}

function grayPng(w: number, h: number): Buffer {
  const png = new PNG({ width: w, height: h, colorType: 0, inputColorType: 0, bitDepth: 8 });
  const src = PNG.sync.read(syntheticPng(w, h, 1));
  const gray = Buffer.alloc(w * h);
  for (let i = 0; i < w * h; i++) gray[i] = src.data[4 * i];
  png.data = gray;
  return PNG.sync.write(png, { colorType: 0, inputColorType: 0 });
}

function alphaPng(w: number, h: number): Buffer {
  const p = PNG.sync.read(syntheticPng(w, h, 2));
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) p.data[(y * w + x) * 4 + 3] = x < w / 2 ? 255 : 60;
  return PNG.sync.write(p);
}

/** A 2-frame 1×1 GIF (hand-assembled: header, GCE + image descriptor + LZW data, twice). */
function animatedGif(): Buffer {
  const frame = [
    0x21,
    0xf9,
    0x04,
    0x00,
    0x0a,
    0x00,
    0x00,
    0x00, // graphic control extension
    0x2c,
    0,
    0,
    0,
    0,
    1,
    0,
    1,
    0,
    0x00, // image descriptor 1×1, no local table
    0x02,
    0x02,
    0x44,
    0x01,
    0x00, // LZW min code 2, one sub-block, terminator
  ];
  return Buffer.from([
    ...Buffer.from('GIF89a'),
    1,
    0,
    1,
    0,
    0x80,
    0,
    0, // screen 1×1, global table of 2
    0xff,
    0x00,
    0x00,
    0x00,
    0x00,
    0xff, // red, blue
    ...frame,
    ...frame,
    0x3b,
  ]);
}

/** A PNG whose header declares 20000×20000 (refused before decoding). */
function hugePng(): Buffer {
  const b = Buffer.from(syntheticPng(8, 8, 0));
  b.writeUInt32BE(20000, 16);
  b.writeUInt32BE(20000, 20);
  return b;
}

test('studio: drop a sample, upscale = CLI within 1 grey level, download PNG, bad inputs, flat memory', async ({
  page,
}) => {
  test.setTimeout(900_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await openStudio(page);
  await loadFixtureModel(page);
  await expect(page.getByTestId('info-params')).toContainText('binary');
  await expect(page.getByTestId('model-dag')).toBeVisible();

  // 1. Drop the bundled sample; the result is 3× and matches the CLI on the same model.
  await dropFiles(page, [{ name: 'coffee.png', type: 'image/png', bytes: readFileSync(SAMPLE) }]);
  const j = job(page, 'coffee.png');
  await expect(j).toHaveAttribute('data-status', 'done', { timeout: 600_000 });
  await expect(j.getByTestId('job-out-size')).toContainText('600×399');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    j.getByTestId('job-download').click(),
  ]);
  const ours = decodePng(readFileSync((await download.path())!));
  const dir = mkdtempSync(path.join(tmpdir(), 'studio-e2e-'));
  const cliOut = path.join(dir, 'cli.png');
  execFileSync(
    process.execPath,
    [
      path.join(root, 'bin/srbnas.mjs'),
      'upscale',
      '--model',
      FIXTURE,
      SAMPLE,
      '-o',
      cliOut,
      '--scale',
      '3',
    ],
    { cwd: root, stdio: 'pipe' },
  );
  const cli = decodePng(readFileSync(cliOut));
  expect([ours.width, ours.height]).toEqual([cli.width, cli.height]);
  let maxDiff = 0;
  let over1 = 0;
  for (let i = 0; i < cli.data.length; i++) {
    const d = Math.abs(cli.data[i] - ours.data[i]);
    maxDiff = Math.max(maxDiff, d);
    if (d > 1) over1++;
  }
  console.log(`[studio e2e] CLI vs page: max diff ${maxDiff}, ${over1} samples > 1`);
  test
    .info()
    .annotations.push({ type: 'cli-max-diff', description: `${maxDiff} (${over1} samples > 1)` });
  expect(maxDiff).toBeLessThanOrEqual(1);

  // 2. Bad inputs: each gets its own message; the earlier result stays.
  await pick(page, [
    { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hello, not an image') },
    { name: 'empty.png', mimeType: 'image/png', buffer: Buffer.alloc(0) },
    { name: 'corrupt.png', mimeType: 'image/png', buffer: syntheticPng(64, 64, 0).subarray(0, 80) },
    { name: 'huge.png', mimeType: 'image/png', buffer: hugePng() },
  ]);
  const errs = page.getByTestId('studio-input-error');
  await expect(errs.filter({ hasText: 'notes.txt: not an image' })).toHaveCount(1);
  await expect(errs.filter({ hasText: 'empty.png: the file is empty' })).toHaveCount(1);
  await expect(errs.filter({ hasText: 'corrupt.png: the PNG file is corrupt' })).toHaveCount(1);
  await expect(
    errs.filter({ hasText: /huge\.png: 20000×20000 .* above the input limit of 16\.0 MP/ }),
  ).toHaveCount(1);
  await expect(j).toHaveAttribute('data-status', 'done');

  // Too large an output for the model's scale: refused with the limit, before any work.
  await pick(page, [
    { name: 'wide.png', mimeType: 'image/png', buffer: syntheticPng(2600, 2400, 0) },
  ]);
  await expect(job(page, 'wide.png').getByTestId('job-message')).toContainText('limit of 50 MP');

  // Grayscale, alpha and an animated GIF are accepted, with a note each, and upscaled.
  await pick(page, [
    { name: 'gray.png', mimeType: 'image/png', buffer: grayPng(20, 16) },
    { name: 'alpha.png', mimeType: 'image/png', buffer: alphaPng(20, 16) },
    { name: 'anim.gif', mimeType: 'image/gif', buffer: animatedGif() },
  ]);
  await expect(job(page, 'gray.png').getByTestId('job-note')).toContainText('grayscale');
  await expect(job(page, 'alpha.png').getByTestId('job-note')).toContainText('alpha channel kept');
  await expect(job(page, 'anim.gif').getByTestId('job-note')).toContainText(
    'animated GIF (2 frames): only the first frame',
  );
  for (const [n, size] of [
    ['gray.png', '60×48'],
    ['alpha.png', '60×48'],
    ['anim.gif', '3×3'],
  ])
    await expect(job(page, n).getByTestId('job-out-size')).toContainText(size, {
      timeout: 300_000,
    });
  // The alpha survives the round trip through the PNG download.
  const [dlA] = await Promise.all([
    page.waitForEvent('download'),
    job(page, 'alpha.png').getByTestId('job-download').click(),
  ]);
  const a = decodePng(readFileSync((await dlA.path())!));
  expect(a.data[3]).toBe(255);
  expect(a.data[(a.width - 1) * 4 + 3]).toBeLessThan(100);

  // Cancel: a larger job stopped mid-way says so; the page keeps working. The packed engine
  // upscales 400×300 in a quarter second, so the job is 4.3 MP (39 MP out, under the limit)
  // to stay 'running' long enough to be seen and cancelled.
  await pick(page, [
    { name: 'cancel-me.png', mimeType: 'image/png', buffer: syntheticPng(2400, 1800, 3) },
  ]);
  const c = job(page, 'cancel-me.png');
  await expect(c).toHaveAttribute('data-status', 'running', { timeout: 300_000 });
  await c.getByTestId('job-cancel').click();
  await expect(c).toHaveAttribute('data-status', 'cancelled', { timeout: 300_000 });

  // Evaluate mode: an HR image is shrunk and scored, ours vs bicubic.
  await page.getByTestId('mode-evaluate').check();
  await pick(page, [{ name: 'hr.png', mimeType: 'image/png', buffer: syntheticPng(48, 36, 4) }]);
  await expect(job(page, 'hr.png').getByTestId('job-scores')).toContainText('dB', {
    timeout: 300_000,
  });
  await page.getByTestId('mode-upscale').check();

  // 3. tf.memory() flat across 20 consecutive upscales (tensors and bytes).
  const small = (i: number) => ({
    name: `m${i}.png`,
    mimeType: 'image/png',
    buffer: syntheticPng(24, 24, i % 4),
  });
  await pick(page, [small(0)]);
  await expect(job(page, 'm0.png')).toHaveAttribute('data-status', 'done', { timeout: 300_000 });
  const mem = () =>
    page.evaluate(() =>
      (
        window as unknown as {
          __srbnasStudio: { memory: () => Promise<{ numTensors: number; numBytes: number }> };
        }
      ).__srbnasStudio.memory(),
    );
  const m0 = await mem();
  await pick(
    page,
    Array.from({ length: 20 }, (_, i) => small(i + 1)),
  );
  await expect(job(page, 'm20.png')).toHaveAttribute('data-status', 'done', { timeout: 600_000 });
  await expect(
    page.locator('[data-testid="studio-job"][data-status="done"][data-name^="m"]'),
  ).toHaveCount(21);
  const m1 = await mem();
  console.log(`[studio e2e] tf.memory before/after 20 upscales: ${JSON.stringify({ m0, m1 })}`);
  test.info().annotations.push({ type: 'memory', description: JSON.stringify({ m0, m1 }) });
  expect(m1).toEqual(m0);
  expect(errors).toEqual([]);
});

test('studio: a short in-page training run moves its curves and gives a model that upscales', async ({
  page,
}) => {
  test.setTimeout(900_000);
  await openStudio(page);
  await page
    .getByTestId('train-genotype')
    .setInputFiles(path.join(root, 'models/genotypes/hand-x3.json'));
  for (const [k, v] of Object.entries({
    channels: 4,
    cells: 1,
    epochs: 3,
    stepsPerEpoch: 10,
    batch: 1,
    patch: 8,
  }))
    await page.getByTestId(`train-${k}`).fill(String(v));
  await page.getByTestId('train-start').click();
  const status = page.getByTestId('train-status');
  const stepNow = async () => Number(await page.getByTestId('train-step').textContent());
  await expect(status).toHaveAttribute('data-status', 'running', { timeout: 300_000 });
  // Pause and resume in the session once the first steps are in.
  await expect.poll(stepNow, { timeout: 600_000 }).toBeGreaterThanOrEqual(1);
  await page.getByTestId('train-pause').click();
  await expect(status).toHaveAttribute('data-status', 'paused', { timeout: 300_000 });
  await page.getByTestId('train-resume').click();
  await expect(status).toHaveAttribute('data-status', 'running');
  // After an epoch's checkpoint (IndexedDB), pause and reload: the run comes back paused at
  // its checkpoint and Resume continues it to the end with its curves. Ten steps an epoch so
  // a fast machine cannot run past the last checkpoint between two polls.
  await expect(status).toContainText(/checkpoint in this browser at step (10|20)\b/, {
    timeout: 600_000,
  });
  await page.getByTestId('train-pause').click();
  await expect(status).toHaveAttribute('data-status', 'paused', { timeout: 300_000 });
  const pausedAt = await stepNow();
  expect(pausedAt).toBeLessThan(30);
  await page.reload();
  await expect(page.getByTestId('studio-backend')).toHaveAttribute('data-state', 'ready', {
    timeout: 120_000,
  });
  await expect(status).toHaveAttribute('data-status', 'paused');
  await expect(status).toContainText('restored from the checkpoint');
  await page.getByTestId('train-resume').click();
  await expect(status).toHaveAttribute('data-status', 'done', { timeout: 800_000 });
  expect(await stepNow()).toBe(30);
  await expect(page.getByTestId('curve-loss')).toHaveAttribute('data-points', /^([2-9]|\d\d)$/);
  // Three validation points (one restored from the checkpoint) plus the bicubic line's ends.
  await expect(page.getByTestId('curve-val')).toHaveAttribute('data-points', '5');
  // The curves carry real, moving numbers: the plotted loss changes from step to step, the
  // axis labels are an L1 range inside [0, 1] and a PSNR range in dB, every point is finite.
  const curve = async (id: string) => {
    const svg = page.getByTestId(id);
    const points = (await svg.locator('polyline.series').first().getAttribute('points')) ?? '';
    const ys = points
      .trim()
      .split(/\s+/)
      .map((p) => Number(p.split(',')[1]));
    const [top, bottom] = (await svg.locator('text').allTextContents()).map(Number);
    return { ys, top, bottom };
  };
  const loss = await curve('curve-loss');
  expect(loss.ys.length).toBeGreaterThanOrEqual(2);
  expect(loss.ys.every(Number.isFinite)).toBe(true);
  expect(new Set(loss.ys).size).toBeGreaterThan(1);
  expect(0 < loss.bottom && loss.bottom < loss.top && loss.top < 1).toBe(true);
  const val = await curve('curve-val');
  expect(val.ys).toHaveLength(3);
  expect(val.ys.every(Number.isFinite)).toBe(true);
  expect(10 < val.bottom && val.bottom < val.top && val.top < 60).toBe(true);
  // The trained model is selected; export gives the CLI's two files.
  await expect(page.getByTestId('model-info')).toContainText('SRBNAS 1 cells C=4');
  const downloads: string[] = [];
  page.on('download', (d) => downloads.push(d.suggestedFilename()));
  await page.getByTestId('train-download').click();
  await expect.poll(() => downloads.sort().join(',')).toBe('model.json,weights.bin');
  // Pasted (clipboard) image, upscaled by the model just trained.
  await page.evaluate(
    (bytes) => {
      const d = new DataTransfer();
      d.items.add(new File([new Uint8Array(bytes)], 'after-train.png', { type: 'image/png' }));
      window.dispatchEvent(new ClipboardEvent('paste', { clipboardData: d }));
    },
    [...syntheticPng(20, 20, 1)],
  );
  await expect(job(page, 'after-train.png').getByTestId('job-out-size')).toContainText('60×60', {
    timeout: 300_000,
  });
});
