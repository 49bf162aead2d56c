import * as tf from '@tensorflow/tfjs';
import type { PatchBatch } from './patches';

/** A sampled batch as NHWC tensors (the caller disposes them). */
export function batchTensors(b: PatchBatch): {
  lr: tf.Tensor4D;
  hr: tf.Tensor4D;
  bic: tf.Tensor4D;
} {
  const P = b.patch * b.scale;
  return {
    lr: tf.tensor4d(b.lr, [b.batch, b.patch, b.patch, 3]),
    hr: tf.tensor4d(b.hr, [b.batch, P, P, 3]),
    bic: tf.tensor4d(b.bic, [b.batch, P, P, 3]),
  };
}

/** The L1 loss of search and training: mean |sr − hr| over every pixel and channel. */
export function l1Loss(a: tf.Tensor, b: tf.Tensor): tf.Scalar {
  return tf.mean(tf.abs(tf.sub(a, b))) as tf.Scalar;
}
