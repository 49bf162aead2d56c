/**
 * Time of the packed binary-conv kernel alone on the WASM backend (Node), per op shape of the
 * bundled models: 256² × 32 channels, 4 groups, k ∈ {3, 5, 7}, dilation 1 or 2. Prints JSON
 * (ms per call, min and median of --repeats), for each build of the kernel this engine runs
 * (relaxed SIMD and plain SIMD128). Run: npx tsx bench/binconvKernel.ts
 */
import os from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { startWasmBackend } from '../src/cli/nodeBackend';
import {
  binConvTables,
  relaxedSimdSupported,
  runBinConv,
  selectBinConvVariant,
  type BinConvVariant,
} from '../src/core/kernels/binconv';
import { Rng } from '../src/core/rng';

const argv = process.argv.slice(2);
const arg = (n: string, d: string) =>
  argv.includes(`--${n}`) ? argv[argv.indexOf(`--${n}`) + 1] : d;
const repeats = Number(arg('repeats', '15'));
const size = Number(arg('size', '256'));
const c = Number(arg('channels', '32'));
const groups = Number(arg('groups', '4'));

await startWasmBackend();
const rng = new Rng(1);
const shapes = [
  { k: 3, d: 1 },
  { k: 3, d: 2 },
  { k: 5, d: 1 },
  { k: 5, d: 2 },
  { k: 7, d: 1 },
];
const x = tf.tensor4d(
  Float32Array.from({ length: size * size * c }, () => rng.next() * 2 - 1),
  [1, size, size, c],
);
const tau = tf.tensor1d(Float32Array.from({ length: c }, () => 0.1 * (rng.next() - 0.5)));
const scale = tf.tensor1d(Float32Array.from({ length: c }, () => 0.01 * rng.next()));
const load0 = os.loadavg();
const variants: BinConvVariant[] = relaxedSimdSupported() ? ['relaxed', 'simd'] : ['simd'];
const rows = variants.flatMap((variant) => {
  selectBinConvVariant(variant);
  return shapes.map(({ k, d }) => {
    const cg = c / groups;
    const sign = Float32Array.from({ length: k * k * cg * c }, () => (rng.next() < 0.5 ? -1 : 1));
    const { tables, attrs } = binConvTables(sign, k, cg, c);
    const t = tf.tensor1d(tables, 'int32');
    const once = () => {
      const t0 = performance.now();
      const y = runBinConv(x, tau, scale, t, { ...attrs, dilation: d, groups });
      y.dispose();
      return performance.now() - t0;
    };
    once();
    const ms = Array.from({ length: repeats }, once).sort((a, b) => a - b);
    t.dispose();
    const mpx = size * size * c * k * k * (c / groups);
    return {
      variant,
      k,
      d,
      min: +ms[0].toFixed(2),
      median: +ms[repeats >> 1].toFixed(2),
      gbops: +(mpx / ms[0] / 1e6).toFixed(1),
    };
  });
});
console.log(
  JSON.stringify({
    bench: 'binconvKernel',
    size,
    channels: c,
    groups,
    load: [load0, os.loadavg()],
    rows,
  }),
);
