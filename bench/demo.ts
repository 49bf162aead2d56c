/**
 * Wall time of one demo-preset search (issue 10: ≤ 5 minutes on WASM on 2 cores), in Node and
 * in the page, printed as JSON (`npm run bench:demo [-- --seed 1] [-- --skip-page]`):
 *  - node1: the core search in this process, one thread (what a worker does);
 *  - node2: `srbnas search --preset demo` with 2 worker_threads (the CLI's default here);
 *  - page: the built playground (vite preview) in Debian's Chromium with the page's defaults
 *    (the demo preset; 'auto' picks WASM over a software WebGPU adapter), Play pressed, until
 *    the run reports done. Its seconds are the worker's (log "search done in … s").
 * `load` is the 1-minute load average before and after each case: on a shared machine every
 * figure scales with it.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { chromium } from '@playwright/test';
import { loadImageDir } from '../src/node/data/loadDir';
import { DEMO_CONFIG } from '../src/core/search/presets';
import { runSearch } from '../src/node/nasExperiments';
import { chromiumLaunchOptions } from '../e2e/browser';
import { startPreview } from './preview';

const root = path.resolve(import.meta.dirname, '..');
const arg = (n: string, d: string) => {
  const i = process.argv.indexOf(`--${n}`);
  return i > 0 ? process.argv[i + 1] : d;
};
const load = () => Number(os.loadavg()[0].toFixed(2));
const log = (s: string) => console.error(`[bench:demo] ${s}`);

async function node1(t91: string, seed: number) {
  await tf.setBackend('wasm');
  await tf.ready();
  const l0 = load();
  const images = await loadImageDir(t91);
  const r = await runSearch({ ...DEMO_CONFIG, seed }, images);
  return {
    case: 'node, 1 thread',
    seconds: +r.seconds.toFixed(1),
    steps: r.last.step,
    maxDeviation: +r.signal.maxDeviation.toFixed(3),
    load: [l0, load()],
  };
}

function node2(t91: string, seed: number) {
  const l0 = load();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'srbnas-demo-'));
  const t0 = Date.now();
  const r = spawnSync(
    process.execPath,
    [
      path.join(root, 'bin/srbnas.mjs'),
      'search',
      '--preset',
      'demo',
      '--data',
      t91,
      '--seed',
      String(seed),
      '--workers',
      '2',
      '--out',
      path.join(dir, 'g.json'),
    ],
    { encoding: 'utf8' },
  );
  if (r.status !== 0) throw new Error(`srbnas search failed: ${r.stderr.slice(-500)}`);
  return {
    case: 'node, srbnas search --workers 2',
    seconds: +((Date.now() - t0) / 1000).toFixed(1),
    load: [l0, load()],
  };
}

async function page() {
  if (!existsSync(path.join(root, 'dist/index.html')))
    execFileSync(process.execPath, [path.join(root, 'node_modules/vite/bin/vite.js'), 'build'], {
      cwd: root,
      stdio: 'inherit',
    });
  const server = await startPreview(root, 4183);
  const l0 = load();
  try {
    const browser = await chromium.launch(chromiumLaunchOptions());
    try {
      const p = await browser.newPage();
      await p.goto(server.url + '/');
      const badge = p.getByTestId('backend');
      await badge.locator('xpath=self::*[@data-state="ready"]').waitFor({ timeout: 120_000 });
      const backend = await badge.getAttribute('data-backend');
      const preset = await p.getByTestId('preset-name').textContent();
      await p.getByTestId('play').click();
      const t0 = Date.now();
      await p
        .locator('[data-testid="run-status"][data-status="done"]')
        .waitFor({ timeout: 900_000 });
      const wall = (Date.now() - t0) / 1000;
      const logText = (await p.locator('.log').textContent()) ?? '';
      const worker = Number(/search done in ([\d.]+) s/.exec(logText)?.[1] ?? NaN);
      return {
        case: 'page (Chromium), worker',
        backend,
        preset,
        seconds: +worker.toFixed(1),
        wallSecondsFromPlay: +wall.toFixed(1),
        load: [l0, load()],
      };
    } finally {
      await browser.close();
    }
  } finally {
    server.stop();
  }
}

const datasets = process.env.SRBNAS_DATASETS ?? path.resolve(root, '../shared/datasets');
const t91 = path.join(datasets, 'T91');
if (!existsSync(t91)) throw new Error(`T91 not found at ${t91} (set SRBNAS_DATASETS)`);
const seed = Number(arg('seed', '1'));
const results = [];
log('node, 1 thread …');
results.push(await node1(t91, seed));
log(JSON.stringify(results.at(-1)));
log('node, 2 workers …');
results.push(node2(t91, seed));
log(JSON.stringify(results.at(-1)));
if (!process.argv.includes('--skip-page')) {
  log('page …');
  results.push(await page());
}
console.log(
  JSON.stringify({
    bench: 'demo-search',
    preset: 'demo',
    config: DEMO_CONFIG,
    cores: os.availableParallelism(),
    results,
  }),
);
