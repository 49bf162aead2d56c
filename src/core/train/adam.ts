import * as tf from '@tensorflow/tfjs';

/**
 * Adam (PyTorch's form: θ −= lr/(1−β1ᵗ) · m / (√v/√(1−β2ᵗ) + ε)) with its whole state in our
 * hands: step counter t and moments m, v per variable. tfjs' own Adam rebuilds β1ᵗ with pow()
 * on setWeights but accumulates it by products while stepping, so a restored run can drift by
 * an ulp; here the bias corrections come from t alone, so a resumed run is bit-for-bit the
 * uninterrupted one.
 */
export class Adam {
  step = 0;
  readonly m = new Map<string, tf.Variable>();
  readonly v = new Map<string, tf.Variable>();

  constructor(
    readonly vars: tf.Variable[],
    readonly lr = 1e-3,
    readonly beta1 = 0.9,
    readonly beta2 = 0.999,
    readonly eps = 1e-8,
  ) {
    for (const w of vars) {
      // Dispose the zeros tf.variable copied from (it would stay registered otherwise).
      const z = tf.zerosLike(w);
      this.m.set(w.name, tf.variable(z, false));
      this.v.set(w.name, tf.variable(z, false));
      z.dispose();
    }
  }

  /** One update from gradients keyed by variable name (as tf.variableGrads returns them). */
  apply(grads: tf.NamedTensorMap): void {
    this.step++;
    const bc1 = 1 - Math.pow(this.beta1, this.step);
    const bc2 = Math.sqrt(1 - Math.pow(this.beta2, this.step));
    const stepSize = this.lr / bc1;
    tf.tidy(() => {
      for (const w of this.vars) {
        const g = grads[w.name];
        if (!g) continue; // a variable the loss does not reach (e.g. unused τ) keeps its state
        const m = this.m.get(w.name)!;
        const v = this.v.get(w.name)!;
        m.assign(tf.add(tf.mul(m, this.beta1), tf.mul(g, 1 - this.beta1)));
        v.assign(tf.add(tf.mul(v, this.beta2), tf.mul(tf.square(g), 1 - this.beta2)));
        const denom = tf.add(tf.div(tf.sqrt(v), bc2), this.eps);
        w.assign(tf.sub(w, tf.mul(tf.div(m, denom), stepSize)));
      }
    });
  }

  dispose(): void {
    for (const t of [...this.m.values(), ...this.v.values()]) t.dispose();
    this.m.clear();
    this.v.clear();
  }
}
