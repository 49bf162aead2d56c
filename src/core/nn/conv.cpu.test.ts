import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { conv2d } from './conv';
import { expectClose, randArray, reference } from './convReference';
import { Rng } from '../rng';

// The op is built only from standard kernels, so it must give the same answers on another
// backend. tfjs' CPU backend (plain JS kernels) stands in here for WebGL/WebGPU, which
// Node cannot run.
beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});

describe('conv2d on the cpu backend', () => {
  for (const [k, groups, d] of [
    [3, 4, 2],
    [5, 1, 1],
    [7, 4, 1],
  ] as [number, number, 1 | 2][]) {
    it(`matches the naive reference: k=${k} g=${groups} d=${d}`, async () => {
      expect(tf.getBackend()).toBe('cpu');
      const s = { n: 2, h: 6, w: 5, c: 8 };
      const cout = 8;
      const rng = new Rng(k * 31 + groups * 7 + d);
      const x = randArray(s.n * s.h * s.w * s.c, rng);
      const wt = randArray(k * k * (s.c / groups) * cout, rng);
      const up = randArray(s.n * s.h * s.w * cout, rng);
      const ref = reference(x, s, wt, k, cout, groups, d, up);
      const xT = tf.tensor4d(Float32Array.from(x), [s.n, s.h, s.w, s.c]);
      const wT = tf.tensor4d(Float32Array.from(wt), [k, k, s.c / groups, cout]);
      const upT = tf.tensor4d(Float32Array.from(up), [s.n, s.h, s.w, cout]);
      expectClose(await conv2d(xT, wT, { groups, dilation: d }).data(), ref.y, 1e-5);
      const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
        tf.sum(tf.mul(conv2d(a as tf.Tensor4D, b as tf.Tensor4D, { groups, dilation: d }), upT)),
      )([xT, wT]);
      expectClose(await dx.data(), ref.dx, 1e-5);
      expectClose(await dw.data(), ref.dw, 1e-5);
    });
  }
});
