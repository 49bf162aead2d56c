/**
 * Browser search benchmark (`npm run bench:browser`): SEARCH steps/s in Chromium per tfjs
 * backend (webgpu, webgl, wasm) for a small and the standard search config, driving the built
 * playground page (vite preview) with Playwright: the config and backend go in the URL, Play is
 * clicked, and the step counter and the snapshot's "ms/step" are read from the status line.
 * The search runs in the page's worker on the page's default training data.
 *
 * Run: npm run bench:browser [-- --backends webgpu,webgl,wasm] [-- --configs small,standard]
 *      [-- --seconds 90] [-- --steps 30] [-- --budget 600] [-- --out FILE]
 * --seconds bounds each case from Play (the first step includes supernet build and, on GPU
 * backends, shader compilation); a case also ends once --steps steps are shown; --budget bounds the whole run (cases that would start past it
 * are reported as skipped). Where Chromium has no GPU, WebGPU and WebGL run on SwiftShader
 * (software) and the standard config may not finish one step: the case then says so.
 * Needs a production build (dist/); it runs `vite build` when dist/ is missing.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from '@playwright/test';
import { chromiumLaunchOptions } from '../e2e/browser';
import { startPreview } from './preview';

const root = path.resolve(import.meta.dirname, '..');
const PORT = 4181;

function arg(name: string): string | undefined {
  const i = process.argv.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (i < 0) return undefined;
  const a = process.argv[i];
  return a.includes('=') ? a.slice(a.indexOf('=') + 1) : process.argv[i + 1];
}

/**
 * Search configs as URL queries. warmupEpochs=0 so every step is a full search step (weights
 * and α/β); epochs are large so no run ends inside the time limit.
 */
const RUN = 'epochs=100&stepsPerEpoch=10&warmupEpochs=0&regEpochs=100';
const CONFIGS: Record<string, { desc: string; query: string }> = {
  // The e2e tiny search: feasible on SwiftShader WebGPU (seconds a step).
  small: {
    desc: '1 cell, C=4, k=1, groups 1, batch 1, LR patch 8',
    query: `cells=1&channels=4&k=1&groups=1&batch=1&patch=8&${RUN}`,
  },
  // The standard search config (as in the paper-size CLI search).
  standard: {
    desc: '3 cells, C=64, k=8, groups 4, batch 16, LR patch 24',
    query: `cells=3&channels=64&k=8&groups=4&batch=16&patch=24&${RUN}`,
  },
};

interface Sample {
  step: number;
  /** The worker's own time for this step (snapshot stepMs), when shown. */
  stepMs?: number;
  /** Wall time since Play, ms. */
  t: number;
}

export interface CaseResult {
  backend: string;
  config: string;
  ranOn?: string;
  steps?: number;
  /** Play click → step 1 shown (supernet build + first step incl. shader compile), s. */
  firstStepSeconds?: number;
  /** Mean worker stepMs over steps ≥ 2 (steady state). */
  steadyMsPerStep?: number;
  /** Steps per second from steadyMsPerStep. */
  stepsPerSecond?: number;
  /** Steps per second by wall clock between step 1 and the last step seen (includes UI). */
  wallStepsPerSecond?: number;
  timedOut?: boolean;
  limitSeconds?: number;
  skipped?: string;
  error?: string;
}

/** Parses "… step <n> / … · <ms> ms/step …" from the run status line. */
function parseStatus(text: string): { step: number; stepMs?: number } {
  const step = Number(/step\s+(\d+)\s*\//.exec(text)?.[1] ?? 0);
  const ms = /(\d+(?:\.\d+)?)\s*ms\/step/.exec(text)?.[1];
  return { step, stepMs: ms === undefined ? undefined : Number(ms) };
}

function summarize(samples: Sample[]): Partial<CaseResult> {
  const out: Partial<CaseResult> = { steps: samples.at(-1)?.step ?? 0 };
  const first = samples.find((s) => s.step >= 1);
  if (first) out.firstStepSeconds = +(first.t / 1000).toFixed(2);
  const steady = samples.filter((s) => s.step >= 2 && s.stepMs !== undefined);
  if (steady.length > 0) {
    const ms = steady.reduce((a, s) => a + (s.stepMs ?? 0), 0) / steady.length;
    out.steadyMsPerStep = +ms.toFixed(1);
    out.stepsPerSecond = +(1000 / ms).toFixed(3);
  }
  const last = samples.at(-1);
  if (first && last && last.step > first.step)
    out.wallStepsPerSecond = +(((last.step - first.step) * 1000) / (last.t - first.t)).toFixed(3);
  return out;
}

async function runCase(
  browser: Browser,
  url: string,
  backend: string,
  config: string,
  limitS: number,
  maxSteps: number,
  log: (s: string) => void,
): Promise<CaseResult> {
  const base: CaseResult = { backend, config, limitSeconds: limitS };
  // A fresh context per case: no runs left in IndexedDB from an earlier case.
  const ctx = await browser.newContext();
  try {
    const page = await ctx.newPage();
    await page.goto(`${url}/?${CONFIGS[config].query}&backend=${backend}`);
    const badge = page.getByTestId('backend');
    await badge.locator('xpath=self::*[@data-state="ready"]').waitFor({ timeout: 120_000 });
    const ranOn = (await badge.getAttribute('data-backend')) ?? '?';
    if (ranOn !== backend) return { ...base, ranOn, error: `${backend} unavailable` };
    const status = page.locator('.run .status');
    const runStatus = page.getByTestId('run-status');
    await page.getByTestId('play').click();
    const t0 = Date.now();
    const samples: Sample[] = [];
    let lastStep = 0;
    while (Date.now() - t0 < limitS * 1000 && lastStep < maxSteps) {
      const s = parseStatus((await status.textContent()) ?? '');
      if (s.step > lastStep) {
        samples.push({ ...s, t: Date.now() - t0 });
        if (lastStep === 0) log(`${backend}/${config}: step 1 after ${(Date.now() - t0) / 1000} s`);
        lastStep = s.step;
      }
      const st = await runStatus.getAttribute('data-status');
      if (st === 'crashed' || st === 'error')
        return { ...base, ranOn, ...summarize(samples), error: `run ${st}` };
      await page.waitForTimeout(100);
    }
    // Bounded: the context is closed below, which ends the worker mid-step if need be.
    const r = summarize(samples);
    return { ...base, ranOn, ...r, timedOut: (r.steps ?? 0) < 3 || undefined };
  } catch (e) {
    return { ...base, error: e instanceof Error ? e.message.split('\n')[0] : String(e) };
  } finally {
    await ctx.close();
  }
}

async function main() {
  const log = (s: string) => console.error(`[bench:browser] ${s}`);
  const backends = (arg('backends') ?? 'webgpu,webgl,wasm').split(',');
  const configs = (arg('configs') ?? 'small,standard').split(',');
  for (const c of configs) if (!CONFIGS[c]) throw new Error(`unknown config "${c}"`);
  const seconds = Number(arg('seconds') ?? 90);
  const maxSteps = Number(arg('steps') ?? 30);
  const budget = Number(arg('budget') ?? 600);
  const load0 = os.loadavg()[0];
  const tStart = Date.now();
  if (!existsSync(path.join(root, 'dist/index.html'))) {
    log('no dist/: running vite build');
    execFileSync(process.execPath, [path.join(root, 'node_modules/vite/bin/vite.js'), 'build'], {
      cwd: root,
      stdio: 'inherit',
    });
  }
  const server = await startPreview(root, PORT);
  const results: CaseResult[] = [];
  try {
    const browser = await chromium.launch(chromiumLaunchOptions());
    try {
      for (const config of configs)
        for (const backend of backends) {
          const left = budget - (Date.now() - tStart) / 1000;
          if (left < 20) {
            results.push({ backend, config, skipped: `total budget ${budget} s used up` });
            continue;
          }
          const limit = Math.min(seconds, Math.floor(left - 10));
          log(`${backend}/${config}: limit ${limit} s`);
          const r = await runCase(browser, server.url, backend, config, limit, maxSteps, log);
          log(JSON.stringify(r));
          results.push(r);
        }
    } finally {
      await browser.close();
    }
  } finally {
    server.stop();
  }
  const text = JSON.stringify(
    {
      bench: 'search-browser',
      configs: Object.fromEntries(configs.map((c) => [c, CONFIGS[c].desc])),
      note:
        'firstStepSeconds: Play → step 1 (supernet build + first step, incl. shader compile). ' +
        'steadyMsPerStep: mean of the worker-reported ms/step over steps ≥ 2; stepsPerSecond ' +
        'from it. Every step is a full search step (weights + α/β; warm-up 0). Without a GPU, ' +
        'WebGPU/WebGL run on SwiftShader (software). timedOut: fewer than 3 steps within ' +
        'limitSeconds.',
      results,
      totalSeconds: Math.round((Date.now() - tStart) / 1000),
      load: [load0, os.loadavg()[0]],
      cpus: os.cpus().length,
    },
    null,
    1,
  );
  console.log(text);
  const outFile = arg('out');
  if (outFile) writeFileSync(outFile, text + '\n');
}

await main();
