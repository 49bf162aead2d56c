import * as tf from '@tensorflow/tfjs';
import { axisWeights, resizedLength, type ResizeDirection } from './bicubic';

/**
 * The bicubic resize of ./bicubic as a tfjs op on NHWC float batches: two matMuls with dense
 * per-axis weight matrices (height, then width), so it is differentiable (gradients flow to the
 * input through matMul/transpose) and fast on every backend. No rounding: it matches
 * resizeBicubicFloat, not the uint8 path. Used for the image-level shortcut `bicubic_r(x_lr)`.
 */

/** Dense (outLen x inLen) row-major matrix of the per-axis weights (clamped taps summed). */
export function bicubicMatrix(
  inLen: number,
  outLen: number,
  r: number,
  dir: ResizeDirection,
  antialias = true,
): Float32Array {
  const aw = axisWeights(inLen, outLen, r, dir, antialias);
  const m = new Float64Array(outLen * inLen);
  for (let i = 0; i < outLen; i++) {
    for (let t = 0; t < aw.taps; t++) {
      m[i * inLen + aw.index[i * aw.taps + t]] += aw.weights[i * aw.taps + t];
    }
  }
  return Float32Array.from(m);
}

const cache = new Map<string, Float32Array>();
const CACHE_LIMIT = 64;

/** Memoised matrices (training resizes the same patch size every step). */
function matrixCached(inLen: number, outLen: number, r: number, dir: ResizeDirection) {
  const key = `${inLen}:${outLen}:${r}:${dir}`;
  let m = cache.get(key);
  if (!m) {
    m = bicubicMatrix(inLen, outLen, r, dir);
    if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
    cache.set(key, m);
  }
  return m;
}

/** y[n,i,j,c] = sum_{h,w} A[i,h] B[j,w] x[n,h,w,c] for A (oH x H), B (oW x W). */
function applySeparable(x: tf.Tensor4D, a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor4D {
  const [n, h, w, c] = x.shape;
  const oH = a.shape[0];
  const oW = b.shape[0];
  // Height: contract H with A. [N,H,W,C] -> [H, N*W*C].
  const xh = tf.reshape(tf.transpose(x, [1, 0, 2, 3]), [h, n * w * c]);
  const yh = tf.reshape(tf.matMul(a, xh), [oH, n, w, c]);
  // Width: contract W with B. [oH,N,W,C] -> [W, oH*N*C].
  const xw = tf.reshape(tf.transpose(yh, [2, 0, 1, 3]), [w, oH * n * c]);
  const yw = tf.reshape(tf.matMul(b, xw), [oW, oH, n, c]);
  return tf.transpose(yw, [2, 1, 0, 3]) as tf.Tensor4D;
}

export interface TfResizeOptions {
  outHeight?: number;
  outWidth?: number;
}

/** Bicubic resize of an NHWC float batch by factor r ('down' shrinks, 'up' enlarges). */
export function resizeBicubicTf(
  x: tf.Tensor4D,
  r: number,
  dir: ResizeDirection,
  opts: TfResizeOptions = {},
): tf.Tensor4D {
  const [, h, w] = x.shape;
  const oH = opts.outHeight ?? resizedLength(h, r, dir);
  const oW = opts.outWidth ?? resizedLength(w, r, dir);
  return tf.tidy(() => {
    const a = tf.tensor2d(matrixCached(h, oH, r, dir), [oH, h]);
    const b = tf.tensor2d(matrixCached(w, oW, r, dir), [oW, w]);
    return applySeparable(x, a, b);
  });
}

/** Enlarge an NHWC batch by r (the `bicubic_r(x_lr)` shortcut of the macro architecture). */
export function upscaleBicubicTf(x: tf.Tensor4D, r: number): tf.Tensor4D {
  return resizeBicubicTf(x, r, 'up');
}

/** Shrink an NHWC batch by r (antialiased, as the datasets' LR images were made). */
export function downscaleBicubicTf(x: tf.Tensor4D, r: number): tf.Tensor4D {
  return resizeBicubicTf(x, r, 'down');
}
