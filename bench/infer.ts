/**
 * `npm run bench:infer`: forward time of the float and packed engines, in Node (WASM) and in
 * Chromium (WASM; WebGPU on whatever adapter the browser has — SwiftShader here, only to show
 * that it works), for 256² → 768² (bundled ×3) and 512² → 2048² (bundled ×4), with peak tensor
 * memory. Prints one JSON document (progress on stderr). Take figures on a quiet machine: the
 * JSON records the load average at the start and the end.
 *
 * Run: npm run bench:infer [-- --repeats 5] [-- --float-repeats 3] [-- --no-browser]
 *      [-- --webgpu-size 64] [-- --port 4312] [-- --out FILE]
 * Needs a production build (dist/) for the browser part; it runs `npm run build` when missing.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { chromium, type Page } from '@playwright/test';
import { readModelFiles } from '../src/cli/modelFiles';
import { startWasmBackend } from '../src/cli/nodeBackend';
import { chromiumLaunchOptions } from '../e2e/browser';
import { loadModel } from '../src/core/model/format';
import { upscaleImage } from '../src/core/model/infer';
import { fromFloat } from '../src/core/image/image';
import { nodeTilePool } from '../src/node/tileHelpers';
import { upscaleImageShared } from '../src/worker/tilePool';
import { benchImage, summary, timeEngine, type ForwardTiming } from './inferCore';
import { startPreview } from './preview';

const root = path.resolve(import.meta.dirname, '..');
const argv = process.argv.slice(2);
const arg = (name: string, def: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : def;
};
const repeats = Number(arg('repeats', '5'));
const floatRepeats = Number(arg('float-repeats', '3'));
const webgpuSize = Number(arg('webgpu-size', '64'));
const port = Number(arg('port', '4312'));
const browser = !argv.includes('--no-browser');
const log = (s: string) => console.error(`[bench:infer] ${s}`);

const CASES = [
  { scale: 3, size: 256 },
  { scale: 4, size: 512 },
];
const packedDir = (s: number) => `public/models/x${s}`;
const floatDir = (s: number) => `models/float/x${s}`;

function row(t: ForwardTiming & { adapter?: string }) {
  return {
    engine: t.engine,
    backend: t.backend,
    ...(t.adapter ? { adapter: t.adapter } : {}),
    kernel: t.kernel,
    scale: t.scale,
    input: t.input,
    output: t.output,
    forwardMs: summary(t.forwardMs),
    coldMs: t.coldMs,
    copyReadMs: t.copyReadMs,
    ...(t.forwardCpuMs ? { forwardCpuMs: summary(t.forwardCpuMs) } : {}),
    upscaleMs: { ...summary(t.upscaleMs), tile: t.tile },
    peakTensorMB: +(t.peakTensorBytes / 2 ** 20).toFixed(1),
    numTensorsAfter: t.numTensorsAfter,
  };
}

function speedups(rows: ReturnType<typeof row>[]) {
  const out: Record<string, { median: number; best: number }> = {};
  for (const c of CASES) {
    for (const backend of new Set(rows.map((r) => r.backend))) {
      const f = rows.find(
        (r) => r.engine === 'float' && r.scale === c.scale && r.backend === backend,
      );
      const p = rows.find(
        (r) => r.engine === 'packed' && r.scale === c.scale && r.backend === backend,
      );
      if (f && p)
        out[`${backend} x${c.scale} ${c.size}²`] = {
          median: +(f.forwardMs.median / p.forwardMs.median).toFixed(1),
          best: +(f.forwardMs.min / p.forwardMs.min).toFixed(1),
        };
    }
  }
  return out;
}

/**
 * The CLI's 8-bit upscale (tile 256) of the packed model on 1 thread and on `threads` (this
 * thread + helper threads, each its own tfjs WASM), wall and this thread's CPU time.
 */
async function threaded(scale: number, size: number, threads: number) {
  const files = await readModelFiles(path.join(root, packedDir(scale)));
  const { net } = loadModel(files);
  const img = fromFloat(benchImage(size));
  const pool = nodeTilePool(threads - 1);
  await pool.ready;
  pool.load('m', files.json, files.weights);
  const one: number[] = [];
  const many: number[] = [];
  try {
    // Warm up at full size (optimised WASM code and a grown heap, here and in the helpers).
    for (let i = 0; i < 3; i++) {
      await upscaleImage(net, img, { tile: 256 });
      await upscaleImageShared(net, img, 256, () => {}, {
        helpers: pool,
        modelId: 'm',
        jobId: `warm${i}`,
      });
    }
    for (let i = 0; i < repeats; i++) {
      let t0 = performance.now();
      await upscaleImage(net, img, { tile: 256 });
      one.push(performance.now() - t0);
      t0 = performance.now();
      await upscaleImageShared(net, img, 256, () => {}, {
        helpers: pool,
        modelId: 'm',
        jobId: `j${i}`,
      });
      many.push(performance.now() - t0);
    }
  } finally {
    pool.dispose();
    net.dispose();
  }
  return {
    engine: 'packed',
    scale,
    input: `${size}x${size}`,
    what: '8-bit upscale, tile 256 (bicubic shortcut, rounding included)',
    oneThreadMs: summary(one),
    [`${threads}ThreadsMs`]: summary(many),
  };
}

/** One engine × case, in this process (the child that node() starts for it). */
async function oneRow(engine: 'packed' | 'float', scale: number, size: number) {
  await startWasmBackend();
  const model = await readModelFiles(
    path.join(root, engine === 'packed' ? packedDir(scale) : floatDir(scale)),
  );
  const t = await timeEngine(model, engine, size, engine === 'float' ? floatRepeats : repeats);
  const heap = (tf.backend() as unknown as { wasm: { HEAPU8: Uint8Array } }).wasm.HEAPU8.length;
  return { ...row(t), wasmHeapMB: +(heap / 2 ** 20).toFixed(0) };
}

/**
 * Each engine × case runs in a fresh Node process: in one process, the float engine measured
 * after the packed one took 3924 ms per x3 forward instead of 2900–3000 ms alone (heap and
 * code state left by the first engine), which would have flattered the packed engine.
 */
function childRow(engine: 'packed' | 'float', scale: number, size: number) {
  const out = execFileSync(
    process.execPath,
    [
      '--import',
      'tsx',
      path.join(root, 'bench/infer.ts'),
      '--one',
      `${engine}:${scale}:${size}`,
      '--repeats',
      String(repeats),
      '--float-repeats',
      String(floatRepeats),
    ],
    { cwd: root, stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 24 },
  );
  return JSON.parse(out.toString()) as Awaited<ReturnType<typeof oneRow>>;
}

async function node() {
  const rows = [];
  for (const c of CASES) {
    for (const engine of ['packed', 'float'] as const) {
      log(`node wasm ${engine} x${c.scale} ${c.size}² (own process)`);
      const r = childRow(engine, c.scale, c.size);
      rows.push(r);
      log(`  forward ${JSON.stringify(r.forwardMs)} ms`);
    }
  }
  await startWasmBackend();
  const threads = Math.max(2, os.availableParallelism?.() ?? os.cpus().length);
  const threadRows = [];
  for (const c of CASES) {
    log(`node wasm packed x${c.scale} ${c.size}² on 1 and ${threads} threads`);
    threadRows.push(await threaded(c.scale, c.size, threads));
  }
  return { rows, threads: threadRows, rssMB: +(process.memoryUsage().rss / 2 ** 20).toFixed(0) };
}

async function serveFloatModels(page: Page) {
  // The float masters are not part of the app (public/); the bench serves them to the page.
  await page.route('**/float-models/**', async (route) => {
    const rel = new URL(route.request().url()).pathname.replace(/^.*\/float-models\//, '');
    const file = path.join(root, 'models/float', rel);
    if (!file.startsWith(path.join(root, 'models/float')) || !existsSync(file))
      return route.fulfill({ status: 404 });
    await route.fulfill({
      body: readFileSync(file),
      headers: { 'Cross-Origin-Resource-Policy': 'same-origin' },
    });
  });
}

async function chromiumRuns() {
  if (!existsSync(path.join(root, 'dist/bench/infer.html'))) {
    log('building dist/ (npm run build)');
    execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
  }
  const server = await startPreview(root, port);
  const b = await chromium.launch(chromiumLaunchOptions());
  const rows: unknown[] = [];
  const equality: unknown[] = [];
  let isolated = false;
  try {
    // A fresh page (its own tfjs and heap) per engine × case, as Node uses a process for each.
    const openPage = async () => {
      const p = await b.newPage();
      await serveFloatModels(p);
      await p.goto(`${server.url}/bench/infer.html`);
      await p.waitForFunction(() => document.body.dataset.ready === '1');
      isolated = await p.evaluate(() => crossOriginIsolated);
      return p;
    };
    for (const backend of ['wasm', 'webgpu']) {
      const cases = backend === 'wasm' ? CASES : [{ scale: 3, size: webgpuSize }];
      for (const c of cases)
        for (const engine of ['packed', 'float'] as const) {
          log(`chromium ${backend} ${engine} x${c.scale} ${c.size}²`);
          const page = await openPage();
          const n = engine === 'float' || backend === 'webgpu' ? floatRepeats : repeats;
          const dir = engine === 'packed' ? `/models/x${c.scale}` : `/float-models/x${c.scale}`;
          try {
            const t = await page.evaluate(
              (o) =>
                (
                  window as unknown as {
                    srbnasInfer: { time: (o: unknown) => Promise<ForwardTiming> };
                  }
                ).srbnasInfer.time(o),
              {
                backend,
                dir,
                engine,
                size: c.size,
                repeats: n,
                // SwiftShader forwards take seconds: one warm-up is enough to show it works.
                ...(backend === 'webgpu' ? { warmup: 1 } : {}),
              },
            );
            rows.push(row(t));
          } catch (e) {
            rows.push({ engine, backend, scale: c.scale, error: String(e) });
          }
          await page.close();
        }
      log(`chromium ${backend}: packed vs float`);
      const page = await openPage();
      equality.push(
        await page
          .evaluate(
            (o) =>
              (
                window as unknown as { srbnasInfer: { compare: (o: unknown) => Promise<unknown> } }
              ).srbnasInfer.compare(o),
            {
              backend,
              packedDir: '/models/x3',
              floatDir: '/float-models/x3',
              size: backend === 'webgpu' ? webgpuSize : 96,
            },
          )
          .catch((e: unknown) => ({ backend, error: String(e) })),
      );
      await page.close();
    }
  } finally {
    await b.close();
    server.stop();
  }
  return { crossOriginIsolated: isolated, rows, equality };
}

const one = arg('one', '');
if (one) {
  const [engine, scale, size] = one.split(':');
  console.log(JSON.stringify(await oneRow(engine as 'packed' | 'float', +scale, +size)));
  process.exit(0);
}

const loadStart = os.loadavg();
const t0 = Date.now();
const n = await node();
const c = browser ? await chromiumRuns() : null;
const result = {
  bench: 'infer',
  date: new Date().toISOString(),
  machine: {
    cpus: os.cpus().length,
    model: os.cpus()[0]?.model,
    loadavgStart: loadStart,
    loadavgEnd: os.loadavg(),
  },
  node: { ...n, speedupFloatOverPacked: speedups(n.rows) },
  ...(c
    ? { chromium: { ...c, speedupFloatOverPacked: speedups(c.rows as ReturnType<typeof row>[]) } }
    : {}),
  seconds: Math.round((Date.now() - t0) / 1000),
};
const text = JSON.stringify(result, null, 1);
console.log(text);
const out = arg('out', '');
if (out) writeFileSync(out, text + '\n');
