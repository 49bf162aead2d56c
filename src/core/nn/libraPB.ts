import * as tf from '@tensorflow/tfjs';
import { edeDerivative, edeSign, type EdeState, type SignGrad } from './ede';
import { stopGradient } from './stopGradient';

/** Guards the division for a constant filter (std 0); far below any trained weight's spread. */
const STD_EPS = 1e-12;

/**
 * Libra-PB standardisation (IR-Net), per OUTPUT channel of a filter laid out as tfjs does,
 * [kh, kw, cin/groups, cout]: Ŵ = (W − mean W) / std W, with the population std (divide by n),
 * so each output channel of Ŵ has exactly zero mean and unit std. Plain ops: autodiff carries
 * the gradient through mean and std, as IR-Net does.
 */
export function standardizeWeights(w: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => {
    const { mean, variance } = tf.moments(w, [0, 1, 2], true);
    return tf.div(tf.sub(w, mean), tf.sqrt(tf.add(variance, STD_EPS))) as tf.Tensor4D;
  });
}

/**
 * Per-output-channel power-of-two scale exponent S = round(log2(mean|Ŵ|)), shape [cout].
 * No gradient flows through S (IR-Net treats it as a constant shift).
 */
export function scaleExponent(wHat: tf.Tensor4D): tf.Tensor1D {
  return tf.tidy(() => {
    const m = tf.mean(tf.abs(stopGradient(wHat)), [0, 1, 2]);
    return tf.round(tf.div(tf.log(m), Math.LN2)) as tf.Tensor1D;
  });
}

export interface LibraPB {
  /** Standardised real weights Ŵ (what EDE's backward is evaluated at). */
  wHat: tf.Tensor4D;
  /** B_w = sign(Ŵ) ∈ {−1, +1}, gradient through EDE then the standardisation. */
  bw: tf.Tensor4D;
  /** 2^S per output channel, shape [cout], constant (no gradient). */
  scale: tf.Tensor1D;
}

/** Libra-PB binarisation of a filter [kh, kw, cin/groups, cout]. */
export function libraPB(w: tf.Tensor4D, ede: EdeState, grad: SignGrad = 'ede'): LibraPB {
  return tf.tidy(() => {
    const wHat = standardizeWeights(w);
    const bw = edeSign(wHat, ede, grad);
    const scale = tf.pow(2, scaleExponent(wHat)) as tf.Tensor1D;
    return { wHat, bw, scale };
  });
}

/**
 * The Libra-PB filter the binary conv uses, B_w · 2^S (each output channel ±2^S), as ONE op
 * with an analytic gradient. Same value and gradient as libraPB() composed with autodiff
 * (tested), but without taping the dozen small ops of the standardisation: their backward,
 * and the copy tfjs makes of every tensor it saves for backprop, were ~100 of the ~190
 * kernels of a binary op's training step. Folding 2^S into the filter is exact
 * (conv(a, B·2^S) = 2^S·conv(a, B)) and saves a broadcast multiply on the feature map.
 *
 * Backward, per output channel with n weights, g = dL/dŴ = dy · 2^S · EDE'(Ŵ):
 * dL/dW = (g − mean g − Ŵ · mean(g ⊙ Ŵ)) / σ  (the standardisation's Jacobian; S is constant).
 */
export function binarizeWeights(
  w: tf.Tensor4D,
  ede: EdeState,
  grad: SignGrad = 'ede',
): tf.Tensor4D {
  const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const wi = args[0] as tf.Tensor4D;
    const save = args[1] as tf.GradSaveFunc;
    const { mean, variance } = tf.moments(wi, [0, 1, 2], true);
    const sigma = tf.sqrt(tf.add(variance, STD_EPS));
    const wHat = tf.div(tf.sub(wi, mean), sigma) as tf.Tensor4D;
    const scale = tf.pow(2, scaleExponent(wHat));
    save([wHat, sigma, scale]);
    const value = tf.mul(tf.neg(tf.step(tf.neg(wHat), -1)), scale) as tf.Tensor4D;
    const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]): tf.Tensor =>
      tf.tidy(() => {
        const [wh, sg, sc] = saved;
        let g = tf.mul(dy, sc);
        if (grad === 'ede') g = tf.mul(g, edeDerivative(wh, ede));
        const mg = tf.mean(g, [0, 1, 2], true);
        const mgw = tf.mean(tf.mul(g, wh), [0, 1, 2], true);
        return tf.div(tf.sub(tf.sub(g, mg), tf.mul(wh, mgw)), sg);
      });
    return { value, gradFunc };
  });
  return f(w) as tf.Tensor4D;
}
