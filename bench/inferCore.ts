/**
 * The measurements of `npm run bench:infer`, shared by Node (bench/infer.ts) and the Chromium
 * page (bench/inferPage.ts): forward time of one engine on the current backend, and the packed
 * vs float comparison used by the WebGPU equality check in e2e.
 */
import * as tf from '@tensorflow/tfjs';
import { packedKernel } from '../src/core/kernels/binconv';
import { createFloatImage, type FloatImage } from '../src/core/image/image';
import { loadModel } from '../src/core/model/format';
import { bicubicUp, readOutput, upscaleFloat } from '../src/core/model/infer';
import { INFERENCE_CTX, type Engine } from '../src/core/model/network';
import { Rng } from '../src/core/rng';

export interface ModelBytes {
  json: unknown;
  weights: ArrayBuffer;
}

/** A seeded smooth-plus-noise RGB image in [0, 1] (the bench input; content does not change the work). */
export function benchImage(size: number, seed = 1): FloatImage {
  const rng = new Rng(seed);
  const img = createFloatImage(size, size, 3);
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++)
      for (let c = 0; c < 3; c++) {
        const v = 0.5 + 0.35 * Math.sin(0.07 * x + 0.05 * y + 2 * c) + 0.1 * (rng.next() - 0.5);
        img.data[(y * size + x) * 3 + c] = Math.round(Math.min(1, Math.max(0, v)) * 255) / 255;
      }
  return img;
}

export interface ForwardTiming {
  engine: Engine;
  backend: string;
  /** Which packed kernel ran ('wasm', 'webgpu'), or 'tfjs ops' (float engine / no kernel). */
  kernel: string;
  scale: number;
  input: string;
  output: string;
  /**
   * net.forward (LR and bicubic tensors given), one whole image, with its output made readable
   * as the product reads it (readOutput: a view of the WASM heap, a download on WebGPU), per
   * repeat, after
   * `warmup` forwards of the same size (WASM code tiers up to optimised code in the background
   * and the heap grows during the first ones: the 2nd to 6th forwards of the packed x3 model
   * took 454 → 291 ms before they settled).
   */
  forwardMs: number[];
  /** The first forward of the process at this size (cold: baseline code, heap growth). */
  coldMs: number;
  /**
   * One forward read with y.data() instead, as this bench did before 2026-12-02: on WASM a copy
   * into a fresh array (≈ 100 ms of page faults for the 50 MB x4 output on the test machine).
   */
  copyReadMs: number;
  /** The same, in CPU time of this process (Node only; less sensitive to a busy machine). */
  forwardCpuMs?: number[];
  /** upscaleFloat: bicubic shortcut + tiles of `tile` LR px + read-back, per repeat. */
  upscaleMs: number[];
  tile: number;
  /** tf.profile of one forward: most tensor bytes alive at once, and after. */
  peakTensorBytes: number;
  numTensorsAfter: number;
}

const median = (a: number[]) => {
  const s = [...a].sort((x, y) => x - y);
  const m = s.length >> 1;
  // Even counts: the mean of the middle two (not the upper one, which would flatter a ratio).
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
export const summary = (a: number[]) => ({ min: Math.min(...a), median: median(a) });

/** Time one engine on the current backend (call tf.setBackend first). */
export async function timeEngine(
  model: ModelBytes,
  engine: Engine,
  size: number,
  repeats: number,
  tile = 128,
  warmup = engine === 'float' ? 2 : 5,
): Promise<ForwardTiming> {
  const { net } = loadModel(model, { engine });
  const r = net.config.scale;
  try {
    const lr = benchImage(size);
    const bic = bicubicUp(lr, r);
    const lrT = tf.tensor4d(lr.data, [1, size, size, 3]);
    const bicT = tf.tensor4d(bic.data, [1, size * r, size * r, 3]);
    const cpu = () => {
      const p = (globalThis as { process?: { cpuUsage(): { user: number; system: number } } })
        .process;
      if (!p) return NaN;
      const u = p.cpuUsage();
      return (u.user + u.system) / 1000;
    };
    const forwardCpuMs: number[] = [];
    const once = async (copy = false) => {
      const t0 = performance.now();
      const c0 = cpu();
      const y = net.forward(lrT, bicT, INFERENCE_CTX);
      await (copy ? y.data() : readOutput(y));
      y.dispose();
      forwardCpuMs.push(cpu() - c0);
      return performance.now() - t0;
    };
    // Warm-up on a small image (shader compilation, kernel instantiation).
    const coldMs = await once();
    for (let i = 1; i < warmup; i++) await once();
    forwardCpuMs.length = 0;
    await upscaleFloat(net, lr, { tile });
    const forwardMs: number[] = [];
    const upscaleMs: number[] = [];
    for (let i = 0; i < repeats; i++) forwardMs.push(await once());
    const copyReadMs = await once(true);
    forwardCpuMs.pop();
    for (let i = 0; i < repeats; i++) {
      const t0 = performance.now();
      await upscaleFloat(net, lr, { tile });
      upscaleMs.push(performance.now() - t0);
    }
    const prof = await tf.profile(async () => {
      const y = net.forward(lrT, bicT, INFERENCE_CTX);
      await y.data();
      y.dispose();
    });
    tf.dispose([lrT, bicT]);
    return {
      engine,
      backend: tf.getBackend(),
      kernel: engine === 'packed' ? (packedKernel() ?? 'tfjs ops') : 'tfjs ops',
      scale: r,
      input: `${size}x${size}`,
      output: `${size * r}x${size * r}`,
      forwardMs,
      coldMs,
      copyReadMs,
      ...(forwardCpuMs.every(Number.isFinite) ? { forwardCpuMs } : {}),
      upscaleMs,
      tile,
      peakTensorBytes: prof.peakBytes,
      numTensorsAfter: tf.memory().numTensors,
    };
  } finally {
    net.dispose();
  }
}

/**
 * Packed vs float engine on the current backend, same input: the largest difference of the
 * float outputs and of the 8-bit samples (docs/model-format.md §5 rounding).
 */
export async function compareEngines(
  packed: ModelBytes,
  float: ModelBytes,
  size: number,
  tile = 128,
): Promise<{
  backend: string;
  kernel: string;
  maxDiff: number;
  maxGrey: number;
  greyDiffering: number;
  samples: number;
}> {
  const p = loadModel(packed, { engine: 'packed' });
  const f = loadModel(float, { engine: 'float' });
  try {
    const lr = benchImage(size, 2);
    const a = await upscaleFloat(f.net, lr, { tile });
    const b = await upscaleFloat(p.net, lr, { tile });
    let maxDiff = 0;
    let maxGrey = 0;
    let greyDiffering = 0;
    const u8 = (v: number) => Math.min(255, Math.max(0, Math.floor(v * 255 + 0.5)));
    for (let i = 0; i < a.data.length; i++) {
      maxDiff = Math.max(maxDiff, Math.abs(a.data[i] - b.data[i]));
      const g = Math.abs(u8(a.data[i]) - u8(b.data[i]));
      if (g > 0) greyDiffering++;
      maxGrey = Math.max(maxGrey, g);
    }
    return {
      backend: tf.getBackend(),
      kernel: packedKernel() ?? 'tfjs ops',
      maxDiff,
      maxGrey,
      greyDiffering,
      samples: a.data.length,
    };
  } finally {
    p.net.dispose();
    f.net.dispose();
  }
}
