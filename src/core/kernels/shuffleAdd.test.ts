import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { pixelShuffle } from '../nn/pixelShuffle';
import { useWasm } from '../nn/testBackend';
import { Rng } from '../rng';
import { hasShuffleAddKernel, runPixelShuffleAdd } from './shuffleAdd';

beforeAll(useWasm);

describe('fused pixel shuffle + add (WASM)', () => {
  it('is registered on the WASM backend', () => {
    expect(hasShuffleAddKernel('wasm')).toBe(true);
  });

  // r·c of 12 and 9 (the bundled x4 and x3: whole and partial 4-float vectors), 4 and 2.
  for (const [r, c, n] of [
    [4, 3, 1],
    [3, 3, 2],
    [2, 1, 1],
    [2, 2, 2],
  ])
    it(`equals tf.add(pixelShuffle(t, ${r}), bic) bit for bit: ${c} channel(s), batch ${n}`, () => {
      const rng = new Rng(r * 10 + c);
      const [h, w] = [5, 7];
      const rnd = (len: number) => Float32Array.from({ length: len }, () => rng.normal());
      const t = tf.tensor4d(rnd(n * h * w * c * r * r), [n, h, w, c * r * r]);
      const bic = tf.tensor4d(rnd(n * h * r * w * r * c), [n, h * r, w * r, c]);
      const [got, want] = tf.tidy(() => [
        runPixelShuffleAdd(t, bic, r).dataSync(),
        tf.add(pixelShuffle(t, r), bic).dataSync(),
      ]);
      expect(Array.from(got)).toEqual(Array.from(want));
      tf.dispose([t, bic]);
    });

  it('refuses a shortcut of the wrong size', () => {
    const t = tf.zeros([1, 4, 4, 12]) as tf.Tensor4D;
    const bic = tf.zeros([1, 8, 9, 3]) as tf.Tensor4D;
    expect(() => runPixelShuffleAdd(t, bic, 2)).toThrow(/bicubic shape 1,8,9,3 does not match/);
    tf.dispose([t, bic]);
  });
});
