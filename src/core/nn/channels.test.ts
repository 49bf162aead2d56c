import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { concatChannels, splitChannels } from './channels';
import { useWasm } from './testBackend';

beforeAll(useWasm);

describe('splitChannels / concatChannels', () => {
  it('equal tf.split / tf.concat on the channel axis, values and gradients', async () => {
    const x = tf.randomNormal([2, 3, 4, 12], 0, 1, 'float32', 1) as tf.Tensor4D;
    const ours = splitChannels(x, 3);
    const ref = tf.split(x, 3, 3);
    for (let i = 0; i < 3; i++)
      expect(Array.from(await ours[i].data())).toEqual(Array.from(await ref[i].data()));
    expect(Array.from(await concatChannels(ours).data())).toEqual(Array.from(await x.data()));
    const a = tf.randomNormal([2, 3, 4, 5], 0, 1, 'float32', 2) as tf.Tensor4D;
    const b = tf.randomNormal([2, 3, 4, 3], 0, 1, 'float32', 3) as tf.Tensor4D;
    expect(Array.from(await concatChannels([a, b]).data())).toEqual(
      Array.from(await tf.concat([a, b], 3).data()),
    );
    const up = tf.randomNormal([2, 3, 4, 12], 0, 1, 'float32', 4);
    const g1 = tf.grad((t: tf.Tensor) => {
      const [p, q, r] = splitChannels(t as tf.Tensor4D, 3);
      return tf.sum(tf.mul(concatChannels([r, p, q]), up));
    })(x);
    const g2 = tf.grad((t: tf.Tensor) => {
      const [p, q, r] = tf.split(t, 3, 3);
      return tf.sum(tf.mul(tf.concat([r, p, q], 3), up));
    })(x);
    expect(Array.from(await g1.data())).toEqual(Array.from(await g2.data()));
  });
});
