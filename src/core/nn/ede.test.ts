import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { edeSchedule, edeSign } from './ede';
import { useWasm } from './testBackend';

beforeAll(useWasm);

describe('edeSchedule', () => {
  it('starts at t=0.1, k=10 and ends at t=10, k=1', () => {
    const a = edeSchedule(0, 50);
    expect(a.t).toBeCloseTo(0.1, 12);
    expect(a.k).toBeCloseTo(10, 10);
    const b = edeSchedule(50, 50);
    expect(b.t).toBeCloseTo(10, 10);
    expect(b.k).toBe(1);
  });
  it('is log-linear in between (geometric mean at the half-way epoch)', () => {
    const m = edeSchedule(25, 50);
    expect(m.t).toBeCloseTo(1, 12);
    expect(m.k).toBeCloseTo(1, 12);
    const q = edeSchedule(1, 4, 0.1, 10);
    expect(q.t).toBeCloseTo(Math.pow(10, -1 + 2 * 0.25), 12);
    expect(q.k).toBeCloseTo(1 / q.t, 12);
  });
});

describe('edeSign', () => {
  it('forward is sign with sign(0) = +1', async () => {
    const x = tf.tensor1d([-2, -1e-6, 0, 1e-6, 3]);
    const y = edeSign(x, { t: 1, k: 1 });
    expect(Array.from(await y.data())).toEqual([-1, -1, 1, 1, 1]);
  });
  it('backward is dy · k · t · (1 − tanh²(t·x)) elementwise', async () => {
    const xs = [-3, -0.7, -0.1, 0, 0.05, 0.4, 1.3, 4];
    const dys = [0.5, -1, 2, 1, -0.3, 1.5, 0.2, -2];
    for (const ede of [edeSchedule(0, 10), edeSchedule(3, 10), edeSchedule(10, 10)]) {
      const g = tf.grad((x: tf.Tensor) => tf.sum(tf.mul(edeSign(x, ede), tf.tensor1d(dys))));
      const got = await g(tf.tensor1d(xs)).data();
      xs.forEach((x, i) => {
        const th = Math.tanh(ede.t * x);
        const want = dys[i] * ede.k * ede.t * (1 - th * th);
        expect(got[i]).toBeCloseTo(want, 4);
      });
    }
  });
  it('identity mode passes the gradient straight through', async () => {
    const g = tf.grad((x: tf.Tensor) => tf.sum(tf.mul(edeSign(x, { t: 5, k: 1 }, 'identity'), 3)));
    expect(Array.from(await g(tf.tensor1d([-2, 0, 0.5])).data())).toEqual([3, 3, 3]);
  });
});
