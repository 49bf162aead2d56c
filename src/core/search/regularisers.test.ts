import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { archLoss, lin, regAlpha, regBeta } from './regularisers';
import { edgeGates, edgeGatesJS } from './edgeGates';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const softmax = (r: number[]) => {
  const e = r.map(Math.exp);
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / s);
};

/** A fixed, non-uniform α [14][6] (no zero entries, so |α| is differentiable everywhere). */
const ALPHA = Array.from({ length: 14 }, (_, e) =>
  Array.from({ length: 6 }, (_, o) => 0.3 * Math.sin(1 + e * 6 + o) + (o === e % 6 ? 0.5 : 0)),
);

describe('regAlpha', () => {
  it('uniform α: R = −14 (μ + ρ/6)', () => {
    const r = regAlpha(tf.zeros([14, 6]) as tf.Tensor2D, 0.8, 0.2, 'softmax');
    expect(r.dataSync()[0]).toBeCloseTo(-14 * (0.8 + 0.2 / 6), 5);
  });

  it('value and gradient match the hand-derived formula (softmax L1 + L2)', () => {
    const mu = 0.5;
    const rho = 0.7;
    const a = tf.tensor2d(ALPHA);
    let want = 0;
    const wantGrad: number[][] = [];
    for (const row of ALPHA) {
      const p = softmax(row);
      const sq = p.reduce((s, x) => s + x * x, 0);
      want += -(mu * 1 + rho * sq);
      // d/dα_k Σ p² = 2 p_k (p_k − Σ p²); the Σ|p| = 1 term contributes nothing.
      wantGrad.push(p.map((pk) => -rho * 2 * pk * (pk - sq)));
    }
    const v = regAlpha(a as tf.Tensor2D, mu, rho, 'softmax').dataSync()[0];
    expect(v).toBeCloseTo(want, 5);
    const g = tf.grad((x: tf.Tensor) => regAlpha(x as tf.Tensor2D, mu, rho, 'softmax'))(a);
    const gv = g.arraySync() as number[][];
    for (let e = 0; e < 14; e++)
      for (let o = 0; o < 6; o++) expect(gv[e][o]).toBeCloseTo(wantGrad[e][o], 6);
  });

  it("the 'softmax' L1 term has zero gradient w.r.t. α", () => {
    const g = tf.grad((x: tf.Tensor) => regAlpha(x as tf.Tensor2D, 1, 0, 'softmax'))(
      tf.tensor2d(ALPHA),
    );
    const maxAbs = Math.max(...Array.from(g.dataSync()).map(Math.abs));
    expect(maxAbs).toBeLessThan(1e-6);
    // ... and is the constant −μ per edge.
    expect(regAlpha(tf.tensor2d(ALPHA), 1, 0, 'softmax').dataSync()[0]).toBeCloseTo(-14, 5);
  });

  it("the 'logits' L1 term is −μ Σ|α| with gradient −μ·sign(α)", () => {
    const mu = 0.8;
    const a = tf.tensor2d(ALPHA);
    const want = -mu * ALPHA.flat().reduce((s, x) => s + Math.abs(x), 0);
    expect(regAlpha(a, mu, 0, 'logits').dataSync()[0]).toBeCloseTo(want, 4);
    const g = tf.grad((x: tf.Tensor) => regAlpha(x as tf.Tensor2D, mu, 0, 'logits'))(a);
    const gv = Array.from(g.dataSync());
    ALPHA.flat().forEach((x, i) => expect(gv[i]).toBeCloseTo(-mu * Math.sign(x), 6));
    expect(Math.max(...gv.map(Math.abs))).toBeGreaterThan(0.5);
  });

  it('gradient agrees with central differences (logits target, both terms)', () => {
    const f = (x: tf.Tensor) => regAlpha(x as tf.Tensor2D, 0.3, 0.9, 'logits');
    const g = tf.grad(f)(tf.tensor2d(ALPHA)).arraySync() as number[][];
    const h = 1e-2;
    for (const [e, o] of [
      [0, 0],
      [3, 2],
      [13, 5],
    ]) {
      const plus = ALPHA.map((r) => [...r]);
      const minus = ALPHA.map((r) => [...r]);
      plus[e][o] += h;
      minus[e][o] -= h;
      const num =
        (f(tf.tensor2d(plus)).dataSync()[0] - f(tf.tensor2d(minus)).dataSync()[0]) / (2 * h);
      expect(g[e][o]).toBeCloseTo(num, 2);
    }
  });
});

describe('regBeta', () => {
  it('hand case: population variance and the ν (Σg − 2)² term, with gradients', () => {
    // Node gates: node0 [1,1], node1 [.5,.7,.9], node2 [.5,.5,.5,.5], node3 [.1,.2,.3,.4,.5].
    const gates = [1, 1, 0.5, 0.7, 0.9, 0.5, 0.5, 0.5, 0.5, 0.1, 0.2, 0.3, 0.4, 0.5];
    const nu = 0.5;
    const nodes = [gates.slice(0, 2), gates.slice(2, 5), gates.slice(5, 9), gates.slice(9)];
    let want = 0;
    const wantGrad: number[] = [];
    for (const g of nodes) {
      const n = g.length;
      const m = g.reduce((a, b) => a + b, 0) / n;
      const v = g.reduce((a, b) => a + (b - m) ** 2, 0) / n;
      const s = g.reduce((a, b) => a + b, 0);
      want += -v + nu * (s - 2) ** 2;
      for (const gi of g) wantGrad.push((-2 * (gi - m)) / n + 2 * nu * (s - 2));
    }
    // node1: −0.08/3 + 0.5·0.01; node2: 0 + 0.5·0; node3: −0.02 + 0.5·0.25
    expect(want).toBeCloseTo(-0.08 / 3 + 0.005 + 0 - 0.02 + 0.125, 10);
    const t = tf.tensor1d(gates);
    expect(regBeta(t, nu).dataSync()[0]).toBeCloseTo(want, 5);
    const g = Array.from(
      tf
        .grad((x: tf.Tensor) => regBeta(x as tf.Tensor1D, nu))(t)
        .dataSync(),
    );
    wantGrad.forEach((w, i) => expect(g[i]).toBeCloseTo(w, 5));
  });

  it('is 0 at the gate prior (β = 0) and its β-gradient flows through σ', () => {
    const beta = tf.zeros([14]) as tf.Tensor1D;
    expect(regBeta(edgeGates(beta), 0.5).dataSync()[0]).toBeCloseTo(
      // variance of equal gates is 0 and every node sums to 2
      0,
      6,
    );
    const b = Array.from({ length: 14 }, (_, i) => 0.1 * (i - 7));
    const f = (x: tf.Tensor) => regBeta(edgeGates(x as tf.Tensor1D), 0.5);
    const g = Array.from(tf.grad(f)(tf.tensor1d(b)).dataSync());
    expect(g[0]).toBe(0);
    expect(g[1]).toBe(0);
    const h = 1e-2;
    for (let i = 2; i < 14; i++) {
      const p = [...b];
      const m = [...b];
      p[i] += h;
      m[i] -= h;
      const num = (f(tf.tensor1d(p)).dataSync()[0] - f(tf.tensor1d(m)).dataSync()[0]) / (2 * h);
      expect(g[i]).toBeCloseTo(num, 3);
      expect(Math.abs(g[i])).toBeGreaterThan(1e-4);
    }
  });
});

describe('edge gates', () => {
  it('prior values: g = 2/n_j at β = 0, first node fixed at 1', () => {
    const g = Array.from(edgeGates(tf.zeros([14]) as tf.Tensor1D).dataSync());
    const want = [1, 1, 2 / 3, 2 / 3, 2 / 3, 0.5, 0.5, 0.5, 0.5, 0.4, 0.4, 0.4, 0.4, 0.4];
    want.forEach((w, i) => expect(g[i]).toBeCloseTo(w, 6));
    expect(edgeGatesJS(new Array(14).fill(0))).toEqual(
      want.map((w) => expect.closeTo(w, 12) as unknown as number),
    );
    // Fixed gates stay 1 whatever β says.
    const g2 = edgeGatesJS([5, -5, ...new Array(12).fill(0)]);
    expect(g2[0]).toBe(1);
    expect(g2[1]).toBe(1);
  });
});

describe('lin and archLoss', () => {
  it('lin(e) = min(1, e/E)', () => {
    expect(lin(0, 100)).toBe(0);
    expect(lin(25, 100)).toBe(0.25);
    expect(lin(150, 100)).toBe(1);
  });
  it('lin = 1 from the start when there is no ramp (E ≤ 0)', () => {
    expect(lin(0, 0)).toBe(1);
    expect(lin(3, 0)).toBe(1);
    expect(lin(0, -2)).toBe(1);
    expect(lin(1, -2)).toBe(1);
  });
  it('L_arch = L1 + λ·lin·R(α) + γ·lin·R(β)', () => {
    const v = archLoss(tf.scalar(0.1), tf.scalar(-2), tf.scalar(0.5), {
      alpha: 1.5 * 0.5,
      beta: 0.8 * 0.5,
    });
    expect(v.dataSync()[0]).toBeCloseTo(0.1 + 0.75 * -2 + 0.4 * 0.5, 6);
  });
});
