import * as tf from '@tensorflow/tfjs';

/** EDE state (IR-Net): `t` sharpens tanh over training, `k` keeps the gradient's scale. */
export interface EdeState {
  t: number;
  k: number;
}

/**
 * IR-Net's Error Decay Estimator schedule for epoch `epoch` of `epochs`:
 * t = 10^(log10 Tmin + (log10 Tmax − log10 Tmin) · e / epochs), k = max(1/t, 1).
 * Early on (t = 0.1, k = 10) the backward is a wide, almost identity estimator; at the end
 * (t = 10, k = 1) it approaches the derivative of sign.
 */
export function edeSchedule(epoch: number, epochs: number, tMin = 0.1, tMax = 10): EdeState {
  const frac = epochs > 0 ? Math.min(Math.max(epoch / epochs, 0), 1) : 1;
  const t = Math.pow(10, Math.log10(tMin) + (Math.log10(tMax) - Math.log10(tMin)) * frac);
  return { t, k: Math.max(1 / t, 1) };
}

/**
 * 'ede' = IR-Net estimator; 'identity' = straight-through with gradient 1 everywhere (tests use
 * it to check the surrounding graph against plain numeric gradients).
 */
export type SignGrad = 'ede' | 'identity';

/**
 * Forward: sign(x) with sign(0) = +1, so the result is always ±1 (a true binary value; tf.sign
 * would give 0 at 0, which is not a binary weight/activation).
 * Backward: dy · k · t · (1 − tanh²(t·x)).
 */
export function edeSign<T extends tf.Tensor>(x: T, ede: EdeState, grad: SignGrad = 'ede'): T {
  const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const input = args[0] as tf.Tensor;
    (args[1] as tf.GradSaveFunc)([input]);
    // step(u, −1) = u > 0 ? 1 : −1, so −step(−x, −1) = x ≥ 0 ? 1 : −1. Three cheap kernels;
    // greaterEqual→cast→mul→sub costs ~5× more on WASM.
    const value = tf.tidy(() => tf.neg(tf.step(tf.neg(input), -1)));
    const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]): tf.Tensor => {
      if (grad === 'identity') return dy.clone();
      const [xs] = saved;
      return tf.tidy(() => tf.mul(dy, edeDerivative(xs, ede)));
    };
    return { value, gradFunc };
  });
  return f(x) as T;
}

/**
 * EDE's surrogate derivative of sign at x: k · t · (1 − tanh²(t·x)), computed as
 * 4·k·t·σ(2tx)·(1 − σ(2tx)) — the same value, but WASM's sigmoid is vectorised (XNNPACK)
 * while its tanh is ~10× slower and dominated the backward pass.
 */
export function edeDerivative<T extends tf.Tensor>(x: T, ede: EdeState): T {
  return tf.tidy(() => {
    const sg = tf.sigmoid(tf.mul(x, 2 * ede.t));
    return tf.mul(tf.mul(sg, tf.sub(1, sg)), 4 * ede.k * ede.t) as T;
  });
}
