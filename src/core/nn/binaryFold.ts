import * as tf from '@tensorflow/tfjs';
import { conv2d, type ConvOpts } from './conv';
import { scaleExponent, standardizeWeights } from './libraPB';
import { libraPBStats } from './libraPBHost';

/**
 * A binary op folded for inference (docs/model-format.md §3 steps 1–4): the weight signs B
 * (±1, filter layout [k, k, cg, cout]) and one float32 scale per output channel,
 * c = f32(f32(s · f32(1/√fanIn)) · 2^S). This is exactly what a packed model stores.
 */
export interface FoldedBinary {
  sign: Float32Array;
  scale: Float32Array;
}

/** Fold latent weights w [k, k, cg, cout] and s [cout] (plain JS, double-precision Libra-PB). */
export function foldBinary(
  w: ArrayLike<number>,
  s: ArrayLike<number>,
  fanIn: number,
): FoldedBinary {
  const cout = s.length;
  if (w.length !== fanIn * cout)
    throw new Error(`foldBinary: ${w.length} weights, expected fanIn ${fanIn} × ${cout}`);
  const { wHat, exponent } = libraPBStats(w, cout);
  const sign = new Float32Array(w.length);
  for (let i = 0; i < w.length; i++) sign[i] = wHat[i] >= 0 ? 1 : -1;
  // Float32 products in the order the float engine's tensor ops take them (tf.mul(s, norm)
  // rounds norm to float32 first); × 2^S is exact.
  const norm = Math.fround(1 / Math.sqrt(fanIn));
  const scale = new Float32Array(cout);
  for (let o = 0; o < cout; o++)
    scale[o] = Math.fround(Math.fround(s[o] * norm) * Math.pow(2, exponent[o]));
  return { sign, scale };
}

/**
 * foldBinary in tensor ops, for GPU backends where reading the filter would stall. Float32
 * standardisation and tf.round (halves to even): it can differ from foldBinary only for a weight
 * within float32 rounding of its channel mean, or a mean|Ŵ| of exactly 2^(n+½).
 */
export function foldBinaryTensors(
  w: tf.Tensor4D,
  s: tf.Tensor1D,
  fanIn: number,
): { sign: tf.Tensor4D; scale: tf.Tensor1D } {
  return tf.tidy(() => {
    const wHat = standardizeWeights(w);
    const sign = tf.neg(tf.step(tf.neg(wHat), -1)) as tf.Tensor4D;
    const scale = tf.mul(tf.mul(s, 1 / Math.sqrt(fanIn)), tf.pow(2, scaleExponent(wHat)));
    return { sign, scale: scale as tf.Tensor1D };
  });
}

/** sign(v) with sign(0) = +1, as ±1 floats (the forward of edeSign). */
export function signPlusMinus<T extends tf.Tensor>(v: T): T {
  return tf.tidy(() => tf.neg(tf.step(tf.neg(v), -1)) as T);
}

/**
 * The binary op at inference in plain tfjs ops — the reference both engines must equal
 * (docs/model-format.md §3 steps 5–7): out = x + f32(dot) · c with dot = conv(sign(x − τ), B),
 * an integer (±1 products summed in float32 are exact far beyond any fan-in here), and zero
 * padding contributing 0.
 */
export function binaryOpReference(
  x: tf.Tensor4D,
  tau: tf.Tensor,
  sign: tf.Tensor4D,
  scale: tf.Tensor,
  opts: ConvOpts,
): tf.Tensor4D {
  return tf.tidy(() => {
    const a = signPlusMinus(tf.sub(x, tau) as tf.Tensor4D);
    const dot = conv2d(a, sign, opts);
    return tf.add(x, tf.mul(dot, scale)) as tf.Tensor4D;
  });
}
