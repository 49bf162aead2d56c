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

  it('takes the layout its comment measured: stack for equal widths, channel-major up to 32, tf.concat above', async () => {
    const maps = (widths: number[]) =>
      widths.map((c, i) => tf.randomNormal([1, 3, 4, c], 0, 1, 'float32', 10 + i) as tf.Tensor4D);
    const run = async (widths: number[]) => {
      const xs = maps(widths);
      const want = await tf.concat(xs, 3).data();
      let got: Float32Array | Int32Array | Uint8Array = new Float32Array();
      const names = (
        await tf.profile(() => {
          const y = concatChannels(xs);
          got = y.dataSync();
          return y;
        })
      ).kernelNames;
      expect(Array.from(got), widths.join('+')).toEqual(Array.from(want));
      tf.dispose(xs);
      return names;
    };
    const equal = await run([4, 4, 4]);
    expect(equal).toContain('Pack');
    expect(equal).not.toContain('Concat');
    const narrow = await run([1, 7]);
    expect(narrow).toContain('Concat');
    expect(narrow).toContain('Transpose');
    expect(await run([8, 24])).toContain('Transpose'); // 32 channels: still channel-major
    const wide = await run([8, 25]);
    expect(wide).toEqual(['Concat']);
  });
});
