import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PNG } from 'pngjs';
import { test, expect } from '@playwright/test';

// A model trained by the PyTorch port with DDP (`torchrun --nproc_per_node 2 -m srbnas_torch
// train`, e2e/fixtures/torch-ddp-x3/COMMANDS.md) upscales a photo in the studio; the page's PNG
// equals `srbnas upscale` and the PyTorch port's own upscale within 1 grey level. WASM keeps it
// quick (SwiftShader WebGPU is exercised by studio.spec.ts). E2E_SCREENSHOT=<file.png|jpg> also
// writes the screenshot there (docs/images/studio-torch-ddp.jpg is made that way).
const root = path.resolve(import.meta.dirname, '..');
const MODEL = path.join(root, 'e2e/fixtures/torch-ddp-x3');
const PHOTO = path.join(root, 'public/images/astronaut.png');
const PYTHON = process.env.SRBNAS_PYTHON ?? '/usr/bin/python3';

function decode(file: string) {
  const p = PNG.sync.read(readFileSync(file));
  return { width: p.width, height: p.height, data: p.data };
}

function maxDiff(a: ReturnType<typeof decode>, b: ReturnType<typeof decode>) {
  expect([a.width, a.height]).toEqual([b.width, b.height]);
  let m = 0;
  let n = 0;
  for (let i = 0; i < a.data.length; i++) {
    const d = Math.abs(a.data[i] - b.data[i]);
    m = Math.max(m, d);
    if (d > 0) n++;
  }
  return { max: m, differ: n, of: a.data.length };
}

test('studio: a model trained with torchrun (2 processes) upscales a photo like the CLI and PyTorch', async ({
  page,
}, testInfo) => {
  test.setTimeout(300_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto('/?backend=wasm#studio');
  const backend = page.getByTestId('studio-backend');
  await expect(backend).toHaveAttribute('data-state', 'ready', { timeout: 120_000 });
  await expect(backend).toHaveAttribute('data-backend', 'wasm');
  await page
    .getByTestId('studio-load-model')
    .setInputFiles([path.join(MODEL, 'model.json'), path.join(MODEL, 'weights.bin')]);
  await expect(page.getByTestId('model-info')).toContainText('SRBNAS 2 cells C=16', {
    timeout: 60_000,
  });
  await page.getByTestId('studio-pick').setInputFiles(PHOTO);
  const job = page.locator('[data-testid="studio-job"][data-name="astronaut.png"]').first();
  await expect(job).toHaveAttribute('data-status', 'done', { timeout: 240_000 });
  await expect(job.getByTestId('job-out-size')).toContainText('768×768');
  const shot = testInfo.outputPath('studio-torch-ddp.png');
  await page.screenshot({ path: shot, fullPage: true });
  const extra = process.env.E2E_SCREENSHOT;
  if (extra) {
    mkdirSync(path.dirname(extra), { recursive: true });
    const jpeg = /\.jpe?g$/i.test(extra);
    await page.screenshot({ path: extra, fullPage: true, ...(jpeg ? { quality: 80 } : {}) });
  }
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    job.getByTestId('job-download').click(),
  ]);
  const ours = decode((await download.path())!);

  const dir = mkdtempSync(path.join(tmpdir(), 'torch-e2e-'));
  const cliOut = path.join(dir, 'cli.png');
  execFileSync(
    process.execPath,
    [path.join(root, 'bin/srbnas.mjs'), 'upscale', '--model', MODEL, PHOTO, '-o', cliOut],
    { cwd: root, stdio: 'pipe' },
  );
  const vsCli = maxDiff(ours, decode(cliOut));
  console.log(`[torch e2e] page vs srbnas upscale: ${JSON.stringify(vsCli)}`);
  expect(vsCli.max).toBeLessThanOrEqual(1);

  const torchOut = path.join(dir, 'torch.png');
  const py = spawnSync(
    PYTHON,
    ['-m', 'srbnas_torch', 'upscale', '--model', MODEL, PHOTO, '-o', torchOut, '--device', 'cpu'],
    { cwd: path.join(root, 'python'), encoding: 'utf8' },
  );
  expect(py.status, `PyTorch upscale failed (npm test needs python3-torch):\n${py.stderr}`).toBe(0);
  const vsTorch = maxDiff(ours, decode(torchOut));
  console.log(`[torch e2e] page vs PyTorch upscale: ${JSON.stringify(vsTorch)}`);
  testInfo.annotations.push({
    type: 'max-diff',
    description: `page vs CLI ${vsCli.max}, page vs PyTorch ${vsTorch.max}`,
  });
  expect(vsTorch.max).toBeLessThanOrEqual(1);
  expect(errors).toEqual([]);
});
