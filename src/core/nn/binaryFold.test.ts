import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { foldBinary, foldBinaryTensors, signPlusMinus } from './binaryFold';
import { Rng } from '../rng';
import { useWasm } from './testBackend';

beforeAll(useWasm);

/** Weights [k, k, cg, cout] with a per-channel offset and spread, and one spiky channel. */
function weights(k: number, cg: number, cout: number, seed: number): Float32Array {
  const rng = new Rng(seed);
  const w = new Float32Array(k * k * cg * cout);
  for (let i = 0; i < w.length; i++) {
    const o = i % cout;
    w[i] = 0.2 * o - 0.3 + (0.1 + 0.05 * o) * rng.normal();
  }
  // Channel 0: one large weight among near-zero ones, so mean|Ŵ| < 2^−½ and S = −1 (2^S ≠ 1).
  for (let i = 0; i < w.length; i += cout) w[i] = 1e-3 * rng.normal();
  w[0] = 1;
  return w;
}

/** docs/model-format.md §3 steps 1–4, written out per channel in doubles. */
function foldByHand(w: Float32Array, s: number[], fanIn: number) {
  const cout = s.length;
  const sign: number[] = new Array(w.length);
  const scale: number[] = [];
  const exponents: number[] = [];
  for (let o = 0; o < cout; o++) {
    const idx = Array.from({ length: fanIn }, (_, j) => j * cout + o);
    const mean = idx.reduce((a, i) => a + w[i], 0) / fanIn;
    const sd = Math.sqrt(idx.reduce((a, i) => a + (w[i] - mean) ** 2, 0) / fanIn + 1e-12);
    let absMean = 0;
    for (const i of idx) {
      const hat = (w[i] - mean) / sd;
      sign[i] = hat >= 0 ? 1 : -1;
      absMean += Math.abs(hat) / fanIn;
    }
    const e = Math.round(Math.log2(absMean));
    exponents.push(e);
    scale.push((s[o] / Math.sqrt(fanIn)) * 2 ** e);
  }
  return { sign, scale, exponents };
}

describe('foldBinary', () => {
  it('gives sign(Ŵ) and c = s · 2^S / √fanIn per output channel', () => {
    const [k, cg, cout] = [3, 2, 4];
    const fanIn = k * k * cg;
    const w = weights(k, cg, cout, 5);
    const s = [0.5, -1.25, 2, 0.1];
    const f = foldBinary(w, s, fanIn);
    const want = foldByHand(w, s, fanIn);
    expect(want.exponents[0]).toBe(-1);
    expect(Array.from(f.sign)).toEqual(want.sign);
    expect(f.sign.length).toBe(w.length);
    for (let o = 0; o < cout; o++) expect(f.scale[o]).toBeCloseTo(want.scale[o], 6);
  });

  it('rejects weights that do not match fanIn × cout', () => {
    expect(() => foldBinary(new Float32Array(17), [1, 1], 9)).toThrow(
      /17 weights, expected fanIn 9 × 2/,
    );
  });
});

describe('foldBinaryTensors (the GPU-side fold)', () => {
  it('equals foldBinary and leaves no tensor behind', async () => {
    const [k, cg, cout] = [3, 4, 3];
    const fanIn = k * k * cg;
    const w = weights(k, cg, cout, 9);
    const s = [0.3, -0.7, 1.5];
    const host = foldBinary(w, s, fanIn);
    const wt = tf.tensor4d(w, [k, k, cg, cout]);
    const st = tf.tensor1d(s);
    const before = tf.memory().numTensors;
    const t = foldBinaryTensors(wt, st, fanIn);
    expect(tf.memory().numTensors).toBe(before + 2);
    expect(t.sign.shape).toEqual([k, k, cg, cout]);
    expect(Array.from(await t.sign.data())).toEqual(Array.from(host.sign));
    const scale = await t.scale.data();
    for (let o = 0; o < cout; o++) expect(scale[o]).toBeCloseTo(host.scale[o], 6);
    tf.dispose([wt, st, t.sign, t.scale]);
  });
});

describe('signPlusMinus', () => {
  it('is +1 at 0 and at positives, −1 at negatives (never 0)', async () => {
    const v = tf.tensor1d([0, -0, 1e-30, -1e-30, 5, -5]);
    expect(Array.from(await signPlusMinus(v).data())).toEqual([1, 1, 1, -1, 1, -1]);
    v.dispose();
  });
});
