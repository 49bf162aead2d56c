/**
 * Search-step benchmark on the WASM backend (Node, single-threaded).
 * Run: npm run bench:search [-- --quick] [-- --steps=N]
 * One step = w-step (forward + backward + Adam) and α/β-step (forward + backward + Adam), the
 * warm-up disabled so every timed step has both. Prints one JSON line per config.
 * GFLOP/s counts only the convolutions' useful multiply-adds (2·N·H·W·Cout·k²·Cin/groups per
 * forward, ×3 for forward + backward, ×2 for the two updates); element-wise ops are not counted.
 */
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { existsSync } from 'node:fs';
import { loadImageDir } from '../src/core/data/loadDir';
import { searchDataFromImages } from '../src/core/data/patches';
import { Search } from '../src/core/search/search';
import { primitiveSpec } from '../src/core/search/searchSpace';
import { DEFAULT_SEARCH_CONFIG, PRIMITIVES, type SearchConfig } from '../src/core/search/types';

/** Forward conv FLOPs of the supernet for one batch. */
function supernetFlops(c: SearchConfig): number {
  const px = c.batch * c.patch * c.patch;
  const conv = (k: number, cin: number, cout: number, g = 1) => 2 * px * k * k * (cin / g) * cout;
  const cp = c.channels / c.k;
  let edge = 0;
  for (const p of PRIMITIVES) {
    const s = primitiveSpec(p, c.groups);
    if (s.kind === 'conv') edge += conv(s.spec.kernel, cp, cp, c.groups);
  }
  const cell = 14 * edge + conv(1, 4 * c.channels, c.channels);
  return (
    conv(3, 3, c.channels) +
    c.cells * cell +
    conv(3, c.channels, c.channels) +
    conv(3, c.channels, 3 * c.scale * c.scale)
  );
}

async function bench(
  name: string,
  c: SearchConfig,
  images: Awaited<ReturnType<typeof loadImageDir>>,
  steps: number,
) {
  const data = searchDataFromImages(images, {
    scale: c.scale,
    patch: c.patch,
    batch: c.batch,
    seed: c.seed,
  });
  const s = new Search({ ...c, warmupEpochs: 0, epochs: 1000, stepsPerEpoch: 1000 }, data);
  const tensorsStart = tf.memory().numTensors;
  // Two untimed steps: WASM tier-up, XNNPACK set-up, both optimisers' moment variables.
  await s.step();
  const afterWarm = (await s.step()).numTensors;
  const times: number[] = [];
  let last = 0;
  for (let i = 0; i < steps; i++) {
    const t = performance.now();
    last = (await s.step()).numTensors;
    times.push(performance.now() - t);
  }
  s.dispose();
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)];
  const flops = 2 * 3 * supernetFlops(c);
  console.log(
    JSON.stringify({
      config: name,
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
      samplesPerSec: Number(((c.batch * 1000) / median).toFixed(2)),
      convGflopPerStep: Number((flops / 1e9).toFixed(3)),
      gflops: Number((flops / 1e6 / median).toFixed(3)),
      tensors: { beforeSearch: tensorsStart, afterWarmup: afterWarm, afterLastStep: last },
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
  const steps = sArg ? Number(sArg.slice(8)) : quick ? 2 : 5;
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
  await bench('small', small, images, steps);
  if (!args.includes('--small-only')) await bench('standard', DEFAULT_SEARCH_CONFIG, images, steps);
}

await main();
