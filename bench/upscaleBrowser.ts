/**
 * Browser half of `npm run bench:upscale`: drives the studio page in Chromium (Playwright, the
 * e2e launch options: WebGPU on SwiftShader here) once per backend, loads a CLI model through
 * the page's model loader and times upscales of synthetic N×N PNGs. The time is the worker's
 * own (decode excluded, tiled inference + bicubic + transfer included), after a small warm-up
 * upscale that pays for shader compilation. A job that runs past the time limit is cancelled
 * and reported as such.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Page } from '@playwright/test';
import { chromiumLaunchOptions } from '../e2e/browser';
import { syntheticPng } from '../e2e/fixtures';

export interface BrowserTiming {
  backend: string;
  /** The backend the page actually ran on (it falls back when one cannot start). */
  ranOn?: string;
  adapter?: string;
  size: number;
  seconds?: number;
  timedOut?: boolean;
  limitSeconds?: number;
  error?: string;
}

async function timeJob(page: Page, name: string, png: Buffer, limitS: number) {
  await page.getByTestId('studio-pick').setInputFiles({ name, mimeType: 'image/png', buffer: png });
  const job = page.locator(`[data-testid="studio-job"][data-name="${name}"]`).first();
  const t0 = Date.now();
  while (Date.now() - t0 < limitS * 1000) {
    const st = await job.getAttribute('data-status');
    if (st === 'done') return { seconds: Number(await job.getAttribute('data-seconds')) };
    if (st === 'error') return { error: (await job.textContent()) ?? 'error' };
    await page.waitForTimeout(250);
  }
  await job.getByTestId('job-cancel').click();
  await job.locator('xpath=self::*[@data-status="cancelled" or @data-status="done"]').waitFor({
    timeout: 600_000,
  });
  return { timedOut: true, limitSeconds: limitS };
}

/** Time each size on each backend; `limitFor(backend, size)` bounds each job (seconds). */
export async function benchBrowser(opts: {
  url: string;
  modelDir: string;
  backends: string[];
  sizes: number[];
  limitFor: (backend: string, size: number) => number;
  log: (s: string) => void;
}): Promise<BrowserTiming[]> {
  const out: BrowserTiming[] = [];
  const browser = await chromium.launch(chromiumLaunchOptions());
  const tmp = mkdtempSync(path.join(tmpdir(), 'bench-upscale-'));
  try {
    for (const backend of opts.backends) {
      const page = await browser.newPage();
      try {
        await page.goto(`${opts.url}/?backend=${backend}#studio`);
        const badge = page.getByTestId('studio-backend');
        await badge.locator('xpath=self::*[@data-state="ready"]').waitFor({ timeout: 180_000 });
        const ranOn = (await badge.getAttribute('data-backend')) ?? '?';
        if (ranOn !== backend) {
          for (const size of opts.sizes)
            out.push({ backend, ranOn, size, error: `${backend} unavailable (ran on ${ranOn})` });
          continue;
        }
        await page
          .getByTestId('studio-load-model')
          .setInputFiles([
            path.join(opts.modelDir, 'model.json'),
            path.join(opts.modelDir, 'weights.bin'),
          ]);
        await page.getByTestId('model-info').waitFor({ timeout: 60_000 });
        opts.log(`${backend}: warm-up`);
        await timeJob(page, 'warmup.png', syntheticPng(32, 32, 0), opts.limitFor(backend, 1024));
        let skipRest = false;
        for (const size of opts.sizes) {
          if (skipRest) {
            out.push({
              backend,
              ranOn,
              size,
              timedOut: true,
              error: 'skipped: a smaller size timed out',
            });
            continue;
          }
          const file = path.join(tmp, `${size}.png`);
          const png = syntheticPng(size, size, 1);
          writeFileSync(file, png);
          const limit = opts.limitFor(backend, size);
          opts.log(`${backend}: ${size}² (limit ${limit} s)`);
          const r = await timeJob(page, `bench-${size}.png`, png, limit);
          out.push({ backend, ranOn, size, ...r });
          if (r.timedOut) skipRest = true;
        }
      } catch (e) {
        out.push({ backend, size: 0, error: e instanceof Error ? e.message : String(e) });
      } finally {
        await page.close();
      }
    }
  } finally {
    await browser.close();
  }
  return out;
}
