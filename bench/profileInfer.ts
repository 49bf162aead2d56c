/**
 * Per-kernel time of one packed (or float) forward, 256² → 768² ×3 on WASM (Node): where the
 * packed engine's time goes. Prints JSON. Run: npx tsx bench/profileInfer.ts [--engine float]
 * [--size 256] [--scale 3]
 */
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { readModelFiles } from '../src/cli/modelFiles';
import { startWasmBackend } from '../src/cli/nodeBackend';
import { loadModel } from '../src/core/model/format';
import { bicubicUp, readOutput } from '../src/core/model/infer';
import { INFERENCE_CTX, type Engine } from '../src/core/model/network';
import { benchImage } from './inferCore';

const argv = process.argv.slice(2);
const arg = (n: string, d: string) =>
  argv.includes(`--${n}`) ? argv[argv.indexOf(`--${n}`) + 1] : d;
const engine = arg('engine', 'packed') as Engine;
const size = Number(arg('size', '256'));
const scale = Number(arg('scale', '3'));
void readFileSync;

await startWasmBackend();
const model = await readModelFiles(
  engine === 'packed' ? `public/models/x${scale}` : `models/float/x${scale}`,
);
const { net } = loadModel(model, { engine });
const lr = benchImage(size);
const bic = bicubicUp(lr, scale);
const lrT = tf.tensor4d(lr.data, [1, size, size, 3]);
const bicT = tf.tensor4d(bic.data, [1, size * scale, size * scale, 3]);
// The output read as the product reads it (a view of the WASM heap, no copy).
const run = () => {
  const y = net.forward(lrT, bicT, INFERENCE_CTX);
  void readOutput(y);
  y.dispose();
};
// Warm up at full size: optimised WASM code and a grown heap (the first forwards are slower).
for (let i = 0; i < 5; i++) run();
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const walls: number[] = [];
const cpus: number[] = [];
for (let i = 0; i < 5; i++) {
  const t0 = performance.now();
  const c0 = cpuMs();
  run();
  cpus.push(cpuMs() - c0);
  walls.push(performance.now() - t0);
}
const total = Math.min(...walls);
const totalCpu = Math.min(...cpus);
// Per-kernel wall time: wrap each kernel call through the engine's profiler.
const prof = await tf.profile(() => tf.tidy(() => net.forward(lrT, bicT, INFERENCE_CTX)));
const by = new Map<string, { ms: number; n: number }>();
for (const k of prof.kernels) {
  const key = `${k.name} ${JSON.stringify(k.inputShapes.slice(0, 2).map((s) => s?.slice(1)))}`;
  const e = by.get(key) ?? { ms: 0, n: 0 };
  e.ms += k.kernelTimeMs as number;
  e.n++;
  by.set(key, e);
}
const rows = [...by]
  .sort((a, b) => b[1].ms - a[1].ms)
  .map(([k, v]) => ({ k, ms: +v.ms.toFixed(1), n: v.n }));
console.log(
  JSON.stringify(
    {
      engine,
      totalMs: +total.toFixed(1),
      totalCpuMs: +totalCpu.toFixed(1),
      sumKernelMs: +rows.reduce((s, r) => s + r.ms, 0).toFixed(1),
      rows,
    },
    null,
    1,
  ),
);
