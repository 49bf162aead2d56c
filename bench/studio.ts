/**
 * `npm run bench:studio`: the studio as a user meets it, in Chromium with "auto" backend (on a
 * machine without a GPU that is WASM with the packed engine): a 1024² photo at x4 (the bundled
 * astronaut, enlarged 2× with our MATLAB bicubic), then a 12-megapixel input (4000×3000) at
 * x2, watching progress and the worker's tensor memory during the job, and cancelling a second
 * 12 MP job half-way. Prints JSON; times are the worker's own (decode excluded). Say the load.
 *
 * Run: npm run bench:studio [-- --port 4313] [-- --skip-12mp]
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Page } from '@playwright/test';
import { upscaleBicubic } from '../src/core/image/bicubic';
import { decodePng, encodePng } from '../src/node/image/codecNode';
import { chromiumLaunchOptions } from '../e2e/browser';
import { syntheticPng } from '../e2e/fixtures';
import { startPreview } from './preview';

const root = path.resolve(import.meta.dirname, '..');
const argv = process.argv.slice(2);
const port = Number(argv.includes('--port') ? argv[argv.indexOf('--port') + 1] : 4313);
const log = (s: string) => console.error(`[bench:studio] ${s}`);

const job = (page: Page, name: string) =>
  page.locator(`[data-testid="studio-job"][data-name="${name}"]`).first();

async function memory(page: Page): Promise<number> {
  await page.getByTestId('studio-memory-button').click();
  await page.waitForTimeout(100);
  return Number(await page.getByTestId('studio-memory').getAttribute('data-bytes'));
}

async function run(page: Page, model: string, name: string, png: Buffer, cancelAt?: number) {
  await page.getByTestId('studio-model').selectOption(model);
  await page.getByTestId('studio-pick').setInputFiles({ name, mimeType: 'image/png', buffer: png });
  const j = job(page, name);
  const mem: number[] = [];
  const progress: string[] = [];
  for (;;) {
    const st = await j.getAttribute('data-status');
    if (st === 'done' || st === 'error' || st === 'cancelled') break;
    const p = await j.getByTestId('job-progress').first();
    if (await p.count()) {
      const v = `${await p.getAttribute('value')}/${await p.getAttribute('max')}`;
      if (progress.at(-1) !== v) progress.push(v);
      if (cancelAt && Number(await p.getAttribute('value')) >= cancelAt) {
        await j.getByTestId('job-cancel').click();
        cancelAt = undefined;
      }
    }
    if (mem.length < 400) mem.push(await memory(page));
    await page.waitForTimeout(1000);
  }
  return {
    status: await j.getAttribute('data-status'),
    seconds: Number(await j.getAttribute('data-seconds')) || undefined,
    outSize:
      (await j
        .getByTestId('job-out-size')
        .textContent()
        .catch(() => null)) ?? undefined,
    progressSeen: progress.length,
    lastProgress: progress.at(-1),
    tensorMBDuring: mem.length
      ? { min: Math.min(...mem) / 2 ** 20, max: Math.max(...mem) / 2 ** 20, samples: mem.length }
      : undefined,
    tensorMBAfter: (await memory(page)) / 2 ** 20,
  };
}

if (!existsSync(path.join(root, 'dist/index.html')))
  execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
const astro = decodePng(
  new Uint8Array(readFileSync(path.join(root, 'public/images/astronaut.png'))),
);
const photo1024 = Buffer.from(encodePng(upscaleBicubic(astro, 1024 / astro.width)));
const loadStart = os.loadavg();
const server = await startPreview(root, port);
const browser = await chromium.launch(chromiumLaunchOptions());
const out: Record<string, unknown> = {};
try {
  const page = await browser.newPage();
  await page.goto(`${server.url}/#studio`);
  const badge = page.getByTestId('studio-backend');
  await badge.locator('xpath=self::*[@data-state="ready"]').waitFor({ timeout: 180_000 });
  out.backend = await badge.getAttribute('data-backend');
  out.backendNote = await page
    .getByTestId('studio-backend-note')
    .textContent()
    .catch(() => null);
  out.crossOriginIsolated = await page.evaluate(() => crossOriginIsolated);
  for (const id of ['x2', 'x4'])
    await page.locator(`[data-testid="studio-model"] option[value="bundled:${id}"]`).waitFor({
      state: 'attached',
      timeout: 60_000,
    });
  log('warm-up');
  await run(page, 'bundled:x4', 'warmup.png', syntheticPng(32, 32, 0));
  // The studio warms its engine up with one blank tile of the first model it loads (WASM; queued
  // behind the commands that follow at once), so the jobs below start warm, as a user's would
  // once the page has settled. Wait for it (up to a minute) and record which model and how long.
  await page.getByTestId('studio-model').selectOption('bundled:x2');
  const warm = page.getByTestId('info-warm');
  out.engineWarmUp = (await warm.waitFor({ timeout: 60_000 }).then(
    async () => `x2: ${(await warm.textContent())?.trim()}`,
    () => 'not seen within 60 s',
  )) as string;
  log('astronaut 1024² at x4');
  out.photo1024x4 = await run(page, 'bundled:x4', 'astronaut-1024.png', photo1024);
  log(JSON.stringify(out.photo1024x4));
  if (!argv.includes('--skip-12mp')) {
    const big = syntheticPng(4000, 3000, 3);
    log('12 MP at x2 (cancelled at tile 20)');
    out.mp12x2Cancelled = await run(page, 'bundled:x2', 'twelve-cancel.png', big, 20);
    log(JSON.stringify(out.mp12x2Cancelled));
    log('12 MP at x2');
    out.mp12x2 = await run(page, 'bundled:x2', 'twelve.png', big);
    log(JSON.stringify(out.mp12x2));
  }
} finally {
  await browser.close();
  server.stop();
}
console.log(
  JSON.stringify(
    {
      bench: 'studio',
      date: new Date().toISOString(),
      loadavgStart: loadStart,
      loadavgEnd: os.loadavg(),
      cpus: os.cpus().length,
      ...out,
    },
    null,
    1,
  ),
);
