import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { useWasm } from '../nn/testBackend';
import { resizeBicubicFloat, type ResizeDirection } from './bicubic';
import { bicubicMatrix, resizeBicubicTf } from './bicubicTf';
import type { FloatImage } from './image';

beforeAll(useWasm);

/** Deterministic pseudo-random values in [0,1) (no Math.random in tests). */
function values(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 32;
  }
  return out;
}

describe('resizeBicubicTf', () => {
  const [n, h, w, c] = [2, 12, 18, 3];
  const data = values(n * h * w * c, 7);

  for (const [r, dir] of [
    [2, 'up'],
    [3, 'up'],
    [4, 'up'],
    [2, 'down'],
    [3, 'down'],
  ] as [number, ResizeDirection][]) {
    it(`matches the typed-array float resize (${dir} x${r}) to 1e-4`, () => {
      const before = tf.memory().numTensors;
      const x = tf.tensor4d(data, [n, h, w, c]);
      const y = resizeBicubicTf(x, r, dir);
      const got = y.dataSync();
      const per = h * w * c;
      let maxErr = 0;
      for (let b = 0; b < n; b++) {
        const img: FloatImage = {
          width: w,
          height: h,
          channels: 3,
          data: data.slice(b * per, (b + 1) * per),
        };
        const want = resizeBicubicFloat(img, { direction: dir, factor: r });
        expect(y.shape).toEqual([n, want.height, want.width, c]);
        const off = b * want.data.length;
        for (let i = 0; i < want.data.length; i++) {
          maxErr = Math.max(maxErr, Math.abs(want.data[i] - got[off + i]));
        }
      }
      expect(maxErr).toBeLessThan(1e-4);
      tf.dispose([x, y]);
      expect(tf.memory().numTensors).toBe(before);
    });
  }

  it('has the adjoint as gradient (checked by finite differences of a linear loss)', () => {
    const x = tf.tensor4d(data, [n, h, w, c]);
    const outShape = [n, h * 3, w * 3, c];
    const wts = tf.tensor4d(
      values(
        outShape.reduce((a, b) => a * b),
        11,
      ),
      outShape as never,
    );
    const loss = (t: tf.Tensor) => tf.sum(tf.mul(resizeBicubicTf(t as tf.Tensor4D, 3, 'up'), wts));
    const g = tf.grad(loss)(x);
    expect(g.shape).toEqual([n, h, w, c]);
    const gd = g.dataSync();
    const base = loss(x).dataSync()[0];
    // The op is linear, so a unit step gives the exact partial derivative (up to float32 error).
    for (const idx of [0, 5, 200, 777, data.length - 1]) {
      const bumped = data.slice();
      bumped[idx] += 1;
      const xb = tf.tensor4d(bumped, [n, h, w, c]);
      const fd = loss(xb).dataSync()[0] - base;
      expect(Math.abs(fd - gd[idx])).toBeLessThan(2e-3 * Math.max(1, Math.abs(gd[idx])));
      xb.dispose();
    }
    tf.dispose([x, wts, g]);
  });

  it('builds matrices whose rows sum to 1', () => {
    const m = bicubicMatrix(10, 30, 3, 'up');
    for (let i = 0; i < 30; i++) {
      let s = 0;
      for (let j = 0; j < 10; j++) s += m[i * 10 + j];
      expect(s).toBeCloseTo(1, 5);
    }
  });
});
