import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { binarizeWeights, libraPB, standardizeWeights } from './libraPB';
import { binarizeWeightsHost } from './libraPBHost';
import { Rng } from '../rng';
import { useWasm } from './testBackend';

beforeAll(useWasm);

function randomFilter(shape: [number, number, number, number], seed: number): tf.Tensor4D {
  const rng = new Rng(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  // Per-channel offsets and spreads so the standardisation has real work to do.
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const co = i % shape[3];
    data[i] = 0.3 * co - 0.5 + (0.2 + 0.1 * co) * rng.normal();
  }
  return tf.tensor4d(data, shape);
}

describe('Libra-PB', () => {
  it('standardises each output channel to zero mean and unit std', async () => {
    const shape: [number, number, number, number] = [3, 3, 4, 5];
    const w = randomFilter(shape, 7);
    const wh = await standardizeWeights(w).data();
    const per = shape[0] * shape[1] * shape[2];
    for (let co = 0; co < shape[3]; co++) {
      let s = 0;
      let s2 = 0;
      for (let i = 0; i < per; i++) {
        const v = wh[i * shape[3] + co];
        s += v;
        s2 += v * v;
      }
      const mean = s / per;
      expect(Math.abs(mean)).toBeLessThan(1e-5);
      expect(Math.sqrt(s2 / per - mean * mean)).toBeCloseTo(1, 4);
    }
  });

  it('B_w = sign(Ŵ) and S = round(log2(mean|Ŵ|)) match a hand computation', async () => {
    // One output channel, 4 weights [1, 2, 3, 10]: mean 4, population std sqrt(12.5).
    // Ŵ = [-3, -2, -1, 6] / 3.5355 → mean|Ŵ| = 12/4/3.5355 = 0.8485 → log2 = −0.237 → S = 0.
    // Second channel [0, 0, 0, 8]: mean 2, std sqrt(12) → Ŵ = [-2,-2,-2,6]/3.4641,
    // mean|Ŵ| = 3/3.4641 = 0.866 → S = 0.
    // Third channel: 11 equal values and one outlier makes mean|Ŵ| small: build it below.
    const w = tf.tensor4d([1, 0, 2, 0, 3, 0, 10, 8], [1, 1, 4, 2]);
    const { wHat, bw, scale } = libraPB(w, { t: 1, k: 1 });
    const s = Math.sqrt(12.5);
    const want0 = [-3 / s, -2 / s, -1 / s, 6 / s];
    const wh = await wHat.data();
    want0.forEach((v, i) => expect(wh[i * 2]).toBeCloseTo(v, 5));
    expect(Array.from(await bw.data())).toEqual([-1, -1, -1, -1, -1, -1, 1, 1]);
    expect(Array.from(await scale.data())).toEqual([1, 1]);

    // [0 × 15, 1]: mean 1/16, std = sqrt(15)/16 → |Ŵ| mean = 2·15/16·(1/16)/(sqrt(15)/16)
    // = 1.875/sqrt(15) = 0.4841 → log2 = −1.047 → S = −1 → 2^S = 0.5.
    const data = new Array(16).fill(0);
    data[15] = 1;
    const m = 1.875 / Math.sqrt(15);
    expect(Math.round(Math.log2(m))).toBe(-1);
    const r = libraPB(tf.tensor4d(data, [2, 2, 4, 1]), { t: 1, k: 1 });
    expect(Array.from(await r.scale.data())).toEqual([0.5]);
  });

  it('weight gradient goes through EDE and the standardisation, not through S', async () => {
    const w = randomFilter([3, 3, 2, 3], 3);
    const ede = { t: 0.7, k: 1 / 0.7 };
    const up = randomFilter([3, 3, 2, 3], 11);
    // Analytic: L = Σ up ⊙ sign(Ŵ)·2^S; dL/dŴ = up·k·t·(1−tanh²(tŴ))·2^S, then through Ŵ(W).
    const g = tf.grad((x: tf.Tensor) => {
      const r = libraPB(x as tf.Tensor4D, ede);
      return tf.sum(tf.mul(tf.mul(r.bw, r.scale), up));
    })(w);
    // Independent check: chain rule by hand, with the EDE factor frozen as a constant weight.
    const wh = standardizeWeights(w);
    const sc = libraPB(w, ede).scale;
    const factor = tf.mul(
      tf.mul(up, sc),
      tf.mul(tf.sub(1, tf.square(tf.tanh(tf.mul(wh, ede.t)))), ede.k * ede.t),
    );
    const factorConst = tf.tensor4d(
      await factor.data(),
      factor.shape as [number, number, number, number],
    );
    const want = tf.grad((x: tf.Tensor) =>
      tf.sum(tf.mul(standardizeWeights(x as tf.Tensor4D), factorConst)),
    )(w);
    const a = await g.data();
    const b = await want.data();
    for (let i = 0; i < a.length; i++) expect(a[i]).toBeCloseTo(b[i], 4);
  });

  it('binarizeWeights = B_w·2^S with the same gradient as the autodiff composition', async () => {
    for (const [shape, seed] of [
      [[3, 3, 2, 3], 5],
      [[1, 1, 16, 2], 6],
      [[2, 2, 4, 1], 8],
    ] as [[number, number, number, number], number][]) {
      // Channel 0 of the last case is made to have S = −1 (one outlier), so 2^S ≠ 1 is covered.
      let w = randomFilter(shape, seed);
      if (shape[3] === 1) w = tf.tensor4d([...new Array(15).fill(0), 1], shape);
      const up = randomFilter(shape, seed + 100);
      for (const ede of [
        { t: 0.3, k: 1 / 0.3 },
        { t: 4, k: 1 },
      ]) {
        const ref = libraPB(w, ede);
        const want = await tf.mul(ref.bw, ref.scale).data();
        const got = await binarizeWeights(w, ede).data();
        expect(Array.from(got)).toEqual(Array.from(want));
        const gRef = tf.grad((x: tf.Tensor) => {
          const r = libraPB(x as tf.Tensor4D, ede);
          return tf.sum(tf.mul(tf.mul(r.bw, r.scale), up));
        })(w);
        const gOurs = tf.grad((x: tf.Tensor) =>
          tf.sum(tf.mul(binarizeWeights(x as tf.Tensor4D, ede), up)),
        )(w);
        const a = await gOurs.data();
        const b = await gRef.data();
        let scale = 0;
        for (let i = 0; i < b.length; i++) scale = Math.max(scale, Math.abs(b[i]));
        for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i])).toBeLessThan(1e-4 * scale);
      }
    }
  });

  it('binarizeWeightsHost (plain JS) gives the same value and gradient as binarizeWeights', async () => {
    for (const [shape, seed] of [
      [[3, 3, 2, 8], 21],
      [[7, 7, 4, 4], 22],
      [[1, 1, 16, 3], 23],
    ] as [[number, number, number, number], number][]) {
      const w = randomFilter(shape, seed);
      const up = randomFilter(shape, seed + 1);
      for (const grad of ['ede', 'identity'] as const) {
        const ede = { t: 0.6, k: 1 / 0.6 };
        const a = await binarizeWeightsHost(w, ede, grad).data();
        const b = await binarizeWeights(w, ede, grad).data();
        expect(Array.from(a)).toEqual(Array.from(b));
        const ga = await tf
          .grad((x: tf.Tensor) =>
            tf.sum(tf.mul(binarizeWeightsHost(x as tf.Tensor4D, ede, grad), up)),
          )(w)
          .data();
        const gb = await tf
          .grad((x: tf.Tensor) => tf.sum(tf.mul(binarizeWeights(x as tf.Tensor4D, ede, grad), up)))(
            w,
          )
          .data();
        let scale = 0;
        for (let i = 0; i < gb.length; i++) scale = Math.max(scale, Math.abs(gb[i]));
        for (let i = 0; i < ga.length; i++)
          expect(Math.abs(ga[i] - gb[i])).toBeLessThan(1e-4 * scale);
      }
    }
  });

  it('binarizeWeightsHost with 2^S ≠ 1 (a spiky channel) and its default gradient is EDE', async () => {
    // Channel 0: one large weight among small ones, so mean|Ŵ| ≈ 0.63 and S = −1; channel 1
    // a spread that gives S = 0.
    const rng = new Rng(31);
    const n = 3 * 3 * 2;
    const data = new Float32Array(n * 2);
    for (let j = 0; j < n; j++) {
      data[2 * j] = 1e-3 * rng.normal();
      data[2 * j + 1] = rng.normal();
    }
    data[0] = 1;
    const w = tf.tensor4d(data, [3, 3, 2, 2]);
    const up = randomFilter([3, 3, 2, 2], 32);
    const ede = { t: 0.8, k: 1.25 };
    const value = await binarizeWeightsHost(w, ede).data();
    expect(
      new Set(
        Array.from(value)
          .filter((_, i) => i % 2 === 0)
          .map(Math.abs),
      ),
    ).toEqual(new Set([0.5]));
    const gradOf = (f: (x: tf.Tensor4D) => tf.Tensor) =>
      tf
        .grad((x: tf.Tensor) => tf.sum(tf.mul(f(x as tf.Tensor4D), up)))(w)
        .dataSync();
    const byDefault = gradOf((x) => binarizeWeightsHost(x, ede));
    const viaTensors = gradOf((x) => binarizeWeights(x, ede, 'ede'));
    const identity = gradOf((x) => binarizeWeightsHost(x, ede, 'identity'));
    let scale = 0;
    for (const v of viaTensors) scale = Math.max(scale, Math.abs(v));
    for (let i = 0; i < n * 2; i++)
      expect(Math.abs(byDefault[i] - viaTensors[i])).toBeLessThan(1e-4 * scale);
    expect(Math.max(...Array.from(byDefault, (v, i) => Math.abs(v - identity[i])))).toBeGreaterThan(
      1e-3 * scale,
    );
    tf.dispose([w, up]);
  });

  it('binarizeWeightsHost takes sign(0) = +1 for a weight exactly at its channel mean', async () => {
    // Channel values −1, 0, 1 (repeated): mean 0, so the middle ones standardise to exactly 0.
    const data = Array.from({ length: 9 }, (_, i) => (i % 3) - 1);
    const w = tf.tensor4d(data, [3, 3, 1, 1]);
    const b = await binarizeWeightsHost(w, { t: 1, k: 1 }).data();
    const scale = Math.abs(b[0]);
    expect(Array.from(b)).toEqual(data.map((v) => (v >= 0 ? scale : -scale)));
    expect(Array.from(await binarizeWeights(w, { t: 1, k: 1 }).data())).toEqual(Array.from(b));
    w.dispose();
  });
});
