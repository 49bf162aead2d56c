/**
 * Conv op benchmark on the WASM backend (Node, single-threaded).
 * Run: npx tsx bench/conv.ts [--quick] [--channels=64] [--compare | --strategy=split/conv,...]
 *      npx tsx bench/conv.ts --parts [--quick] [--channels=8]   (forward / dw pieces alone)
 *      npx tsx bench/conv.ts --op [--channels=8]                (the 5 binary ops, fwd and fwd+bwd)
 *      npx tsx bench/conv.ts --layout                          (channel split/concat variants)
 *      npx tsx bench/conv.ts --workers=2                       (worker_threads data-parallel probe)
 * Prints JSON lines, one per case: ms and GFLOP/s for forward and forward+backward.
 * FLOPs counted are the useful ones (2·N·H·W·Cout·k²·Cin/groups forward, ×3 with backward),
 * so a strategy that wastes work (dense block-diagonal) is charged for it in its GFLOP/s.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { createBinaryOp } from '../src/core/nn/binaryOp';
import { concatChannels, splitChannels } from '../src/core/nn/channels';
import { Params } from '../src/core/nn/params';
import {
  DEFAULT_STRATEGY,
  filterGrad,
  groupedConvForward,
  makeConv2d,
  type ConvStrategy,
} from '../src/core/nn/conv';
import { loadavg } from 'node:os';
import { Worker } from 'node:worker_threads';

interface Case {
  hw: number;
  k: number;
  groups: number;
  d: 1 | 2;
}

/**
 * Best-of-reps time in ms. The machine is shared (load 4-7 on 2 cores while this was written),
 * so the minimum is the figure least disturbed by other processes; the first call is a
 * warm-up (WASM tier-up, allocations, XNNPACK operator set-up).
 */
function timeIt(fn: () => void, minMs: number): number {
  fn();
  let n = 0;
  let best = Infinity;
  const t0 = performance.now();
  while (n < 3 || performance.now() - t0 < minMs) {
    const t = performance.now();
    fn();
    best = Math.min(best, performance.now() - t);
    n++;
  }
  return best;
}

async function main(): Promise<void> {
  await tf.setBackend('wasm');
  await tf.ready();
  // The load average says how much of the 2 cores other processes took during the run.
  console.log(JSON.stringify({ backend: tf.getBackend(), loadavg1m: +loadavg()[0].toFixed(2) }));
  const args = process.argv.slice(2);
  const quick = args.includes('--quick');
  const cArg = args.find((a) => a.startsWith('--channels='));
  const channels = cArg ? Number(cArg.slice('--channels='.length)) : 64;
  if (args.includes('--parts')) return parts(quick, channels);
  if (args.includes('--op')) return binaryOps(channels);
  if (args.includes('--layout')) return layout();
  const wArg = args.find((a) => a.startsWith('--workers='));
  if (wArg) return workers(Number(wArg.slice('--workers='.length)));
  const sArg = args.find((a) => a.startsWith('--strategy='));
  const strategies: ConvStrategy[] = sArg
    ? sArg
        .slice('--strategy='.length)
        .split(',')
        .map((s) => {
          const [g, f] = s.split('/');
          return { groups: g, filterGrad: f } as ConvStrategy;
        })
    : args.includes('--compare')
      ? [
          { groups: 'auto', filterGrad: 'conv' },
          { groups: 'split', filterGrad: 'conv' },
          { groups: 'dense', filterGrad: 'conv' },
          { groups: 'split', filterGrad: 'im2col' },
        ]
      : [DEFAULT_STRATEGY];
  const C = channels;
  const N = 16;
  const cases: Case[] = [];
  for (const hw of quick ? [24] : [24, 8])
    for (const k of quick ? [3, 7] : [3, 5, 7])
      for (const groups of [1, 4])
        for (const d of [1, 2] as const) cases.push({ hw, k, groups, d });
  const minMs = quick ? 150 : 300;

  // Ceiling: one dense matMul of the same size as the k=3 im2col product.
  const a = tf.randomNormal([N * 24 * 24, 9 * C]);
  const b = tf.randomNormal([9 * C, C]);
  // Never return a TypedArray from tf.tidy: tidy walks the returned value element by element
  // looking for tensors (seconds for a 1M-element array). Read inside, return nothing.
  const mmMs = timeIt(() => {
    tf.tidy(() => {
      tf.matMul(a, b).dataSync();
    });
  }, minMs);
  const mmFlop = 2 * N * 24 * 24 * 9 * C * C;
  console.log(
    JSON.stringify({
      ref: 'matMul [9216,576]x[576,64]',
      ms: +mmMs.toFixed(2),
      gflops: +(mmFlop / mmMs / 1e6).toFixed(1),
    }),
  );
  tf.dispose([a, b]);

  for (const strategy of strategies) {
    const conv = makeConv2d(strategy);
    for (const c of cases) {
      const x = tf.randomNormal([N, c.hw, c.hw, C]) as tf.Tensor4D;
      const w = tf.randomNormal([c.k, c.k, C / c.groups, C]) as tf.Tensor4D;
      const up = tf.randomNormal([N, c.hw, c.hw, C]);
      const opts = { groups: c.groups, dilation: c.d };
      const fwd = (): void => {
        tf.tidy(() => {
          conv(x, w, opts).dataSync();
        });
      };
      const g = tf.grads((xi: tf.Tensor, wi: tf.Tensor) =>
        tf.sum(tf.mul(conv(xi as tf.Tensor4D, wi as tf.Tensor4D, opts), up)),
      );
      const fb = (): void => {
        tf.tidy(() => {
          const [dx, dw] = g([x, w]);
          dx.dataSync();
          dw.dataSync();
        });
      };
      const before = tf.memory().numTensors;
      const fMs = timeIt(fwd, minMs);
      const fbMs = timeIt(fb, minMs);
      const leaked = tf.memory().numTensors - before;
      const flop = 2 * N * c.hw * c.hw * C * c.k * c.k * (C / c.groups);
      console.log(
        JSON.stringify({
          strategy: `${strategy.groups}/${strategy.filterGrad}`,
          hw: c.hw,
          k: c.k,
          groups: c.groups,
          dilation: c.d,
          fwdMs: +fMs.toFixed(2),
          fwdGflops: +(flop / fMs / 1e6).toFixed(1),
          fwdBwdMs: +fbMs.toFixed(2),
          fwdBwdGflops: +((3 * flop) / fbMs / 1e6).toFixed(1),
          ...(leaked ? { leaked } : {}),
        }),
      );
      tf.dispose([x, w, up]);
    }
  }
}

void main();

/** Each piece of the op alone (forward, dx, dw per strategy), to choose the per-case path. */
async function parts(quick: boolean, C: number): Promise<void> {
  const N = 16;
  for (const hw of quick ? [24] : [24, 8])
    for (const k of quick ? [3, 7] : [3, 5, 7])
      for (const groups of [1, 4])
        for (const d of [1, 2]) {
          const x = tf.randomNormal([N, hw, hw, C]) as tf.Tensor4D;
          const w = tf.randomNormal([k, k, C / groups, C]) as tf.Tensor4D;
          const dy = tf.randomNormal([N, hw, hw, C]) as tf.Tensor4D;
          const flop = 2 * N * hw * hw * C * k * k * (C / groups);
          const res: Record<string, number> = {};
          const time = (name: string, f: () => tf.Tensor): void => {
            const ms = timeIt(() => {
              tf.tidy(() => {
                f().dataSync();
              });
            }, 200);
            res[name + 'Ms'] = +ms.toFixed(1);
            res[name + 'Gflops'] = +(flop / ms / 1e6).toFixed(1);
          };
          time('fwdSplit', () => groupedConvForward(x, w, groups, d, 'split'));
          if (groups > 1) time('fwdDense', () => groupedConvForward(x, w, groups, d, 'dense'));
          time('dwConv', () => filterGrad(x, dy, k, groups, d, 'conv'));
          if (groups > 1)
            time('dwConvDense', () => filterGrad(x, dy, k, groups, d, 'conv', 'dense'));
          time('dwIm2col', () => filterGrad(x, dy, k, groups, d, 'im2col'));
          console.log(JSON.stringify({ hw, k, groups, dilation: d, ...res }));
          tf.dispose([x, w, dy]);
          await Promise.resolve();
        }
}

/**
 * The five binary search-space ops (sign, Libra-PB, conv, scale, residual) forward and
 * forward+backward at `C` channels (the search runs them on C/k = 8 partial channels).
 */
async function binaryOps(C: number): Promise<void> {
  const N = 16;
  const hw = 24;
  const specs = [
    { name: 'bin_dil_conv_3x3', kernel: 3, dilation: 2 },
    { name: 'bin_conv_3x3', kernel: 3, dilation: 1 },
    { name: 'bin_dil_conv_5x5', kernel: 5, dilation: 2 },
    { name: 'bin_conv_5x5', kernel: 5, dilation: 1 },
    { name: 'bin_conv_7x7', kernel: 7, dilation: 1 },
  ] as const;
  const params = new Params(1);
  const x = tf.randomNormal([N, hw, hw, C]) as tf.Tensor4D;
  const ctx = { ede: { t: 1, k: 1 } };
  for (const sp of specs) {
    const op = createBinaryOp(params, sp.name, C, {
      kernel: sp.kernel,
      dilation: sp.dilation,
      groups: 4,
    });
    const vars = params.list().filter((v) => v.name.startsWith(sp.name + '/'));
    const fwdMs = timeIt(() => {
      tf.tidy(() => {
        op.apply(x, ctx).dataSync();
      });
    }, 200);
    const fbMs = timeIt(() => {
      tf.tidy(() => {
        const { value, grads } = tf.variableGrads(() => tf.mean(tf.square(op.apply(x, ctx))), vars);
        value.dataSync();
        for (const g of Object.values(grads)) g.dataSync();
      });
    }, 200);
    console.log(
      JSON.stringify({
        op: sp.name,
        C,
        N,
        hw,
        groups: 4,
        fwdMs: +fwdMs.toFixed(2),
        fwdBwdMs: +fbMs.toFixed(2),
      }),
    );
    await Promise.resolve();
  }
  params.dispose();
}

/** Channel-axis split/concat: tfjs' own vs channels.ts (why conv.ts avoids tf.split/concat). */
async function layout(): Promise<void> {
  for (const C of [8, 64]) {
    const x = tf.randomNormal([16, 24, 24, C]) as tf.Tensor4D;
    const parts = tf.split(x, 4, 3) as tf.Tensor4D[];
    const a = tf.randomNormal([16, 24, 24, C / 8]) as tf.Tensor4D;
    const b = tf.randomNormal([16, 24, 24, C - C / 8]) as tf.Tensor4D;
    const run = (f: () => tf.Tensor | tf.Tensor[]) =>
      +timeIt(() => {
        tf.tidy(() => {
          const r = f();
          for (const t of Array.isArray(r) ? r : [r]) t.dataSync();
        });
      }, 150).toFixed(2);
    console.log(
      JSON.stringify({
        C,
        tfSplit4Ms: run(() => tf.split(x, 4, 3)),
        splitChannels4Ms: run(() => splitChannels(x, 4)),
        tfConcat4Ms: run(() => tf.concat(parts, 3)),
        concatChannels4Ms: run(() => concatChannels(parts)),
        tfConcatPartialMs: run(() => tf.concat([a, b], 3)),
        concatChannelsPartialMs: run(() => concatChannels([a, b])),
        sliceFirstEighthMs: run(() => tf.slice(x, [0, 0, 0, 0], [-1, -1, -1, C / 8])),
      }),
    );
    tf.dispose([x, a, b, ...parts]);
    await Promise.resolve();
  }
}

/**
 * Data-parallel feasibility: `n` worker_threads, each with its own tfjs + WASM backend, each
 * running the same fixed amount of conv work (forward + both gradients of a C=64 3×3 conv,
 * batch 8 = half of 16). Compares wall time with 1 worker doing it all. Plain JS in the worker
 * (eval) so it does not depend on a TS loader.
 */
async function workers(n: number): Promise<void> {
  const code = `
    const { parentPort, workerData } = require('node:worker_threads');
    const tf = require('@tensorflow/tfjs');
    require('@tensorflow/tfjs-backend-wasm');
    (async () => {
      await tf.setBackend('wasm');
      const x = tf.randomNormal([workerData.batch, 24, 24, 64]);
      const w = tf.randomNormal([3, 3, 64, 64]);
      const step = () => tf.tidy(() => {
        const y = tf.conv2d(x, w, 1, 'same');
        const dx = tf.conv2d(y, w, 1, 'same');
        const xT = tf.transpose(tf.pad(x, [[0, 0], [1, 1], [1, 1], [0, 0]]), [3, 1, 2, 0]);
        const dw = tf.conv2d(xT, tf.transpose(y, [1, 2, 0, 3]), 1, 'valid');
        dx.dataSync(); dw.dataSync();
      });
      step();
      parentPort.postMessage('ready');
      await new Promise((r) => parentPort.once('message', r));
      const t0 = performance.now();
      for (let i = 0; i < workerData.steps; i++) step();
      parentPort.postMessage(performance.now() - t0);
    })();
  `;
  const steps = 6;
  const run = async (count: number, batch: number): Promise<number> => {
    const ws = Array.from(
      { length: count },
      () => new Worker(code, { eval: true, workerData: { batch, steps } }),
    );
    await Promise.all(ws.map((w) => new Promise((r) => w.once('message', r))));
    const t0 = performance.now();
    const done = ws.map((w) => new Promise((r) => w.once('message', r)));
    for (const w of ws) w.postMessage('go');
    await Promise.all(done);
    const ms = performance.now() - t0;
    await Promise.all(ws.map((w) => w.terminate()));
    return ms;
  };
  const one = await run(1, 16);
  const many = await run(n, 16 / n);
  console.log(
    JSON.stringify({
      workload: `${steps} steps of conv3x3 C=64 fwd+dx+dw, batch 16 total`,
      oneWorkerMs: +one.toFixed(1),
      [`${n}WorkersMs`]: +many.toFixed(1),
      speedup: +(one / many).toFixed(2),
      loadavg1m: +loadavg()[0].toFixed(2),
    }),
  );
}
