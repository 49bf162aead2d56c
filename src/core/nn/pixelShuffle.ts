import * as tf from '@tensorflow/tfjs';

/**
 * Sub-pixel upsampling [N, H, W, C·r²] → [N, H·r, W·r, C] with tf.depthToSpace's (NHWC)
 * channel order: input channel (i·r + j)·C + c lands at output pixel (h·r + i, w·r + j), channel c.
 * Written as reshape/transpose because DepthToSpace has no gradient in tfjs.
 */
export function pixelShuffle(x: tf.Tensor4D, r: number): tf.Tensor4D {
  const [n, h, w, cr2] = x.shape;
  if (cr2 % (r * r) !== 0) throw new Error(`pixelShuffle: ${cr2} channels not divisible by ${r}²`);
  const c = cr2 / (r * r);
  return tf.tidy(() => {
    const a = tf.reshape(x, [n, h, w, r, r, c]);
    const b = tf.transpose(a, [0, 1, 3, 2, 4, 5]); // [n, h, i, w, j, c]
    return tf.reshape(b, [n, h * r, w * r, c]);
  });
}
