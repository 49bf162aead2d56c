/**
 * Where the time of one search step goes (WASM, Node, one thread), per kernel and per op shape.
 * Run: npx tsx bench/profileSearch.ts [--small] [--top=N] [--phase=w|arch]
 * Uses tf.profile over the gradients of one w-step (or α/β step) after two warm-up steps (the
 * optimiser update is timed separately); on WASM each kernel is
 * timed as wall time around its call, so the numbers include the kernel's JS dispatch. The
 * remainder (step wall time − Σ kernel time) is tfjs' own bookkeeping: tape, tidy, customGrad.
 * Prints JSON: totals, per kernel name, and the top kernel+shape groups.
 */
import os from 'node:os';
import path from 'node:path';
import { existsSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { loadImageDir } from '../src/node/data/loadDir';
import { searchDataFromImages } from '../src/core/data/patches';
import { Search } from '../src/core/search/search';
import { DEFAULT_SEARCH_CONFIG, type SearchConfig } from '../src/core/search/types';

interface Agg {
  ms: number;
  calls: number;
}

function add(m: Map<string, Agg>, key: string, ms: number): void {
  const a = m.get(key) ?? { ms: 0, calls: 0 };
  a.ms += ms;
  a.calls++;
  m.set(key, a);
}

const MOVE = new Set([
  'Transpose',
  'Concat',
  'SplitV',
  'Slice',
  'Pack',
  'Unpack',
  'PadV2',
  'Reverse',
  'Identity',
  'Reshape',
  'Cast',
  'GatherV2',
  'StridedSlice',
  'Tile',
]);
const REDUCE = new Set(['Sum', 'Mean', 'Max', 'Min', 'AddN', 'Prod']);

/** Coarse category of a kernel call: convs by role and filter size, data movement, etc. */
function category(name: string, shapes: number[][]): string {
  if (name === 'Conv2D') {
    const [x, w] = shapes;
    const [kh, , ci, co] = w;
    // Filter-gradient convs (nn/conv.ts) use dy as the filter: its "kernel" is the map size.
    if (kh > 9) return `conv dw (filter-gradient conv, ${x[0]} ch)`;
    if (kh === 1) return 'conv 1x1 (fusion)';
    return `conv ${kh}x${kh} fwd/dx (${ci}→${co}${x[3] === ci ? '' : ''})`;
  }
  if (name === 'unnamed scope') return 'customGrad wrappers (conv, sign)';
  if (MOVE.has(name)) return 'data movement (transpose/concat/slice/pad/identity/cast)';
  if (REDUCE.has(name)) return 'reductions (sum/mean/addN)';
  return 'element-wise';
}

function table(m: Map<string, Agg>, top: number) {
  return [...m.entries()]
    .sort((a, b) => b[1].ms - a[1].ms)
    .slice(0, top)
    .map(([k, a]) => ({ kernel: k, ms: Math.round(a.ms * 10) / 10, calls: a.calls }));
}

async function main(): Promise<void> {
  await tf.setBackend('wasm');
  await tf.ready();
  const args = process.argv.slice(2);
  const top = Number(args.find((a) => a.startsWith('--top='))?.slice(6) ?? 40);
  const phase = args.find((a) => a.startsWith('--phase='))?.slice(8) ?? 'w';
  const root =
    process.env.SRBNAS_DATASETS ?? path.resolve(import.meta.dirname, '../../shared/datasets');
  const t91 = path.join(root, 'T91');
  if (!existsSync(t91)) throw new Error(`T91 not found at ${t91} (set SRBNAS_DATASETS)`);
  const images = await loadImageDir(t91);
  const c: SearchConfig = args.includes('--small')
    ? { ...DEFAULT_SEARCH_CONFIG, cells: 2, channels: 16, k: 4, groups: 2, batch: 8, patch: 16 }
    : DEFAULT_SEARCH_CONFIG;
  const data = searchDataFromImages(images, {
    scale: c.scale,
    patch: c.patch,
    batch: c.batch,
    seed: c.seed,
  });
  const s = new Search({ ...c, warmupEpochs: 0, epochs: 1000, stepsPerEpoch: 1000 }, data);
  await s.step();
  await s.step();
  const batch = phase === 'w' ? data.train.next() : data.val.next();
  const t0 = performance.now();
  // Gradients under the profiler; the optimiser update timed on its own (wall clock).
  let g: { loss: tf.Scalar; grads: tf.NamedTensorMap; valL1?: tf.Scalar } | null = null;
  const info = await tf.profile(() => {
    g = phase === 'w' ? s.computeWGrads(batch) : s.computeArchGrads(batch);
  });
  const wall = performance.now() - t0;
  const done = g as unknown as { loss: tf.Scalar; grads: tf.NamedTensorMap; valL1?: tf.Scalar };
  const t1 = performance.now();
  if (phase === 'w') s.applyWGrads(done.grads);
  else s.applyArchGrads(done.grads);
  await s.supernet.alpha.data(); // wait for the update
  const optimiserMs = performance.now() - t1;
  tf.dispose([done.loss, ...(done.valL1 ? [done.valL1] : []), ...Object.values(done.grads)]);
  const byName = new Map<string, Agg>();
  const byShape = new Map<string, Agg>();
  const byCategory = new Map<string, Agg>();
  let kernelMs = 0;
  for (const k of info.kernels) {
    const ms = typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
    kernelMs += ms;
    add(byName, k.name, ms);
    add(byShape, `${k.name} ${JSON.stringify(k.inputShapes)}`, ms);
    add(byCategory, category(k.name, k.inputShapes as number[][]), ms);
  }
  s.dispose();
  console.log(
    JSON.stringify(
      {
        config: { cells: c.cells, channels: c.channels, k: c.k, groups: c.groups, batch: c.batch },
        phase,
        gradsWallMs: Math.round(wall),
        optimiserMs: Math.round(optimiserMs),
        load: Number(os.loadavg()[0].toFixed(2)),
        kernelMs: Math.round(kernelMs),
        kernels: info.kernels.length,
        byCategory: table(byCategory, 100),
        byKernel: table(byName, top),
        byKernelAndShape: table(byShape, top),
      },
      null,
      1,
    ),
  );
}

await main();
