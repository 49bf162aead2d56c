import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { channelShuffle } from './channelShuffle';
import { pixelShuffle } from './pixelShuffle';
import { useWasm } from './testBackend';

beforeAll(useWasm);

describe('channelShuffle', () => {
  it('maps output channel j·g + i to input channel i·(C/g) + j', async () => {
    const c = 12;
    const g = 3;
    const x = tf.tensor4d(
      Array.from({ length: 2 * c }, (_, i) => i % c),
      [1, 1, 2, c],
    );
    const y = await channelShuffle(x, g).data();
    for (let i = 0; i < g; i++)
      for (let j = 0; j < c / g; j++) {
        expect(y[j * g + i]).toBe(i * (c / g) + j);
        expect(y[c + j * g + i]).toBe(i * (c / g) + j);
      }
    expect([...y.slice(0, c)].sort((a, b) => a - b)).toEqual(
      Array.from({ length: c }, (_, i) => i),
    );
  });
  it('shuffle by g then by C/g is the identity', async () => {
    const x = tf.randomNormal([2, 3, 3, 16]);
    const y = channelShuffle(channelShuffle(x, 4), 4);
    const z = channelShuffle(channelShuffle(x, 8), 2);
    expect(Array.from(await y.data())).toEqual(Array.from(await x.data()));
    expect(Array.from(await z.data())).toEqual(Array.from(await x.data()));
  });
});

describe('pixelShuffle', () => {
  it('equals tf.depthToSpace (NHWC) for r = 2, 3, 4', async () => {
    for (const r of [2, 3, 4]) {
      const x = tf.randomNormal([2, 3, 4, 3 * r * r]) as tf.Tensor4D;
      const a = await pixelShuffle(x, r).data();
      const b = await tf.depthToSpace(x, r, 'NHWC').data();
      expect(pixelShuffle(x, r).shape).toEqual([2, 3 * r, 4 * r, 3]);
      expect(Array.from(a)).toEqual(Array.from(b));
    }
  });
  it('rejects a channel count that is not a multiple of r²', () => {
    const x = tf.zeros([1, 2, 2, 8]) as tf.Tensor4D;
    expect(() => pixelShuffle(x, 2)).not.toThrow();
    expect(() => pixelShuffle(x, 3)).toThrow(/8 channels not divisible by 3²/);
    expect(() => pixelShuffle(tf.zeros([1, 2, 2, 6]) as tf.Tensor4D, 2)).toThrow(/6 channels/);
    x.dispose();
  });
  it('has a gradient (the transpose of the permutation)', async () => {
    const x = tf.randomNormal([1, 2, 2, 4]) as tf.Tensor4D;
    const up = tf.randomNormal([1, 4, 4, 1]);
    const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(pixelShuffle(t as tf.Tensor4D, 2), up)))(x);
    // d/dx Σ up ⊙ P(x) = P⁻¹(up), and P⁻¹ = spaceToDepth's order: check via a sum identity.
    const lhs = (await tf.sum(tf.mul(g, x)).data())[0];
    const rhs = (await tf.sum(tf.mul(up, pixelShuffle(x, 2))).data())[0];
    expect(lhs).toBeCloseTo(rhs, 4);
  });
});
