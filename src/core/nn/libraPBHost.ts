import * as tf from '@tensorflow/tfjs';
import type { EdeState, SignGrad } from './ede';

export { hostReadable } from './host';

/** Same guard as libraPB.ts. */
const STD_EPS = 1e-12;

/**
 * Libra-PB per output channel of a filter [kh, kw, cin/g, cout] (flat, cout fastest), in double
 * precision: Ŵ = (W − mean) / √(var + 1e-12) with the population variance, and the exponent
 * S = round(log2(mean|Ŵ|)) with halves rounded up (Math.round). docs/model-format.md §3 steps
 * 1–3; the packed format (pack.ts) and the float engine's inference share it, so both take the
 * same signs.
 */
export function libraPBStats(
  wv: ArrayLike<number>,
  cout: number,
): { wHat: Float64Array; sigma: Float64Array; exponent: Float64Array } {
  const n = wv.length / cout;
  const wHat = new Float64Array(wv.length);
  const sigma = new Float64Array(cout);
  // Float64, not Int32: a constant channel has mean|Ŵ| = 0, S = −∞ and 2^S = 0 (the op's branch
  // vanishes), which an Int32Array would silently turn into S = 0.
  const exponent = new Float64Array(cout);
  for (let o = 0; o < cout; o++) {
    let s = 0;
    for (let i = o; i < wv.length; i += cout) s += wv[i];
    const mean = s / n;
    let v = 0;
    for (let i = o; i < wv.length; i += cout) v += (wv[i] - mean) ** 2;
    sigma[o] = Math.sqrt(v / n + STD_EPS);
    let absMean = 0;
    for (let i = o; i < wv.length; i += cout) {
      wHat[i] = (wv[i] - mean) / sigma[o];
      absMean += Math.abs(wHat[i]);
    }
    exponent[o] = Math.round(Math.log2(absMean / n));
  }
  return { wHat, sigma, exponent };
}

/**
 * binarizeWeights (libraPB.ts) computed in plain JS: the same value B_w · 2^S and the same
 * gradient, for WASM/CPU only (on WebGL/WebGPU reading the filter would stall on the GPU).
 * A binary op's filter is tiny (≤ 7·7·16·64 numbers) but its Libra-PB is ~25 tfjs kernels
 * (moments, standardise, sign, S, and the backward), each paying tfjs' per-kernel dispatch;
 * here it is one tensor upload each way, and nothing is saved for backprop but JS arrays.
 */
export function binarizeWeightsHost(
  w: tf.Tensor4D,
  ede: EdeState,
  grad: SignGrad = 'ede',
): tf.Tensor4D {
  const shape = w.shape;
  const cout = shape[3];
  const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const wv = (args[0] as tf.Tensor).dataSync();
    const { wHat, sigma, exponent } = libraPBStats(wv, cout);
    const n = wv.length / cout;
    const scale = new Float64Array(cout);
    const out = new Float32Array(wv.length);
    for (let o = 0; o < cout; o++) {
      scale[o] = Math.pow(2, exponent[o]);
      for (let i = o; i < wv.length; i += cout) out[i] = wHat[i] >= 0 ? scale[o] : -scale[o];
    }
    const gradFunc = (dy: tf.Tensor): tf.Tensor => {
      const dv = dy.dataSync();
      const g = new Float64Array(dv.length);
      const dw = new Float32Array(dv.length);
      for (let o = 0; o < cout; o++) {
        let mg = 0;
        let mgw = 0;
        for (let i = o; i < dv.length; i += cout) {
          let gi = dv[i] * scale[o];
          if (grad === 'ede') {
            const th = Math.tanh(ede.t * wHat[i]);
            gi *= ede.k * ede.t * (1 - th * th);
          }
          g[i] = gi;
          mg += gi;
          mgw += gi * wHat[i];
        }
        mg /= n;
        mgw /= n;
        for (let i = o; i < dv.length; i += cout) dw[i] = (g[i] - mg - wHat[i] * mgw) / sigma[o];
      }
      return tf.tensor4d(dw, shape);
    };
    return { value: tf.tensor4d(out, shape), gradFunc };
  });
  return f(w) as tf.Tensor4D;
}
