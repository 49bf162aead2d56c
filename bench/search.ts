/**
 * Search-step benchmark on the WASM backend (Node), one thread and data-parallel.
 * Run: npm run bench:search [-- --quick] [-- --steps=N] [-- --workers=1,2] [-- --small-only]
 *      [-- --compare-skip]  (each config without, then with, the skipped unused gradients)
 * One step = w-step (forward + backward + Adam) and α/β-step (forward + backward + Adam), the
 * warm-up disabled so every timed step has both. Prints one JSON line per (config, workers).
 * workers = 1 is the plain Search in this thread; workers = W > 1 is ParallelSearch with this
 * thread as replica 0 and W − 1 worker_threads (src/node/parallel), the batch sharded over them.
 * GFLOP/s counts only the convolutions' useful FLOPs (src/core/search/flops.ts: 3× forward per
 * update, two updates per step); element-wise ops are not counted. `load` is the 1-minute load
 * average before and after the run: on a shared machine, numbers scale with it.
 */
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { existsSync } from 'node:fs';
import { loadImageDir } from '../src/node/data/loadDir';
import { searchDataFor } from '../src/core/data/patches';
import { Search } from '../src/core/search/search';
import { searchStepFlops } from '../src/core/search/flops';
import { DEFAULT_SEARCH_CONFIG, type SearchConfig } from '../src/core/search/types';
import { createParallelSearch } from '../src/node/parallel/parallelSearchNode';

const WARMUP = 2;

async function bench(
  name: string,
  c: SearchConfig,
  images: Awaited<ReturnType<typeof loadImageDir>>,
  steps: number,
  workers: number,
  skipUnusedGrads: boolean,
) {
  const load0 = os.loadavg()[0];
  const data = searchDataFor(images, c);
  const config = { ...c, warmupEpochs: 0, epochs: 1000, stepsPerEpoch: 1000 };
  const tensorsStart = tf.memory().numTensors;
  const s =
    workers > 1
      ? await createParallelSearch(config, data, workers, undefined, { skipUnusedGrads })
      : new Search(config, data);
  if (s instanceof Search) s.skipUnusedGrads = skipUnusedGrads;
  const replicaTensors = async () =>
    'numTensors' in s ? await s.numTensors() : [tf.memory().numTensors];
  // Untimed steps: WASM tier-up, XNNPACK set-up, both optimisers' moment variables.
  for (let i = 0; i < WARMUP; i++) await s.step();
  const afterWarm = await replicaTensors();
  const times: number[] = [];
  // CPU time of this process (all its threads) per step: on a shared machine it varies far
  // less with the load than wall time does (the load still costs caches and memory bandwidth).
  const cpu: number[] = [];
  for (let i = 0; i < steps; i++) {
    const t = performance.now();
    const c0 = process.cpuUsage();
    await s.step();
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
    times.push(performance.now() - t);
  }
  cpu.sort((a, b) => a - b);
  const afterLast = await replicaTensors();
  const inSync = 'checksums' in s ? new Set(await s.checksums()).size === 1 : true;
  await s.dispose();
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)];
  const flops = searchStepFlops(c);
  console.log(
    JSON.stringify({
      config: name,
      workers,
      skipUnusedGrads,
      cells: c.cells,
      channels: c.channels,
      k: c.k,
      groups: c.groups,
      batch: c.batch,
      patch: c.patch,
      scale: c.scale,
      steps,
      msPerStepMedian: Math.round(median),
      msPerStepMin: Math.round(times[0]),
      cpuMsPerStepMedian: Math.round(cpu[Math.floor(cpu.length / 2)]),
      samplesPerSec: Number(((c.batch * 1000) / median).toFixed(2)),
      convGflopPerStep: Number((flops / 1e9).toFixed(3)),
      gflops: Number((flops / 1e6 / median).toFixed(3)),
      tensors: {
        beforeSearch: tensorsStart,
        afterWarmup: afterWarm,
        afterLastStep: afterLast,
        afterDispose: tf.memory().numTensors,
      },
      replicasInSync: inSync,
      load: [Number(load0.toFixed(2)), Number(os.loadavg()[0].toFixed(2))],
      cores: os.availableParallelism(),
      backend: tf.getBackend(),
    }),
  );
}

async function main(): Promise<void> {
  await tf.setBackend('wasm');
  await tf.ready();
  const args = process.argv.slice(2);
  const quick = args.includes('--quick');
  const sArg = args.find((a) => a.startsWith('--steps='));
  const steps = sArg ? Number(sArg.slice(8)) : quick ? 2 : 3;
  const wArg = args.find((a) => a.startsWith('--workers='));
  const workerList = (wArg ? wArg.slice(10) : '1,2').split(',').map(Number);
  const root =
    process.env.SRBNAS_DATASETS ?? path.resolve(import.meta.dirname, '../../shared/datasets');
  const t91 = path.join(root, 'T91');
  if (!existsSync(t91)) throw new Error(`T91 not found at ${t91} (set SRBNAS_DATASETS)`);
  const images = await loadImageDir(t91);
  const small: SearchConfig = {
    ...DEFAULT_SEARCH_CONFIG,
    cells: 2,
    channels: 16,
    k: 4,
    groups: 2,
    batch: 8,
    patch: 16,
  };
  // --compare-skip: each (config, workers) twice, without then with the skipped gradients
  // (Search.skipUnusedGrads), back to back so both see the same machine load.
  const skips = args.includes('--compare-skip') ? [false, true] : [true];
  for (const w of workerList)
    for (const k of skips) await bench('small', small, images, steps, w, k);
  if (!args.includes('--small-only'))
    for (const w of workerList)
      for (const k of skips) await bench('standard', DEFAULT_SEARCH_CONFIG, images, steps, w, k);
}

await main();
