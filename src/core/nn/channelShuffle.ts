import * as tf from '@tensorflow/tfjs';

/**
 * PC-DARTS channel shuffle on the last (channel) axis: view channels as [groups, C/groups],
 * transpose to [C/groups, groups], flatten. Output channel j·groups + i takes input channel
 * i·(C/groups) + j, so after a partial-channel mixed op the processed and bypassed channels
 * interleave.
 */
export function channelShuffle<T extends tf.Tensor>(x: T, groups: number): T {
  const shape = x.shape;
  const c = shape[shape.length - 1];
  if (c % groups !== 0) throw new Error(`channelShuffle: ${c} channels not divisible by ${groups}`);
  const lead = shape.slice(0, -1);
  return tf.tidy(() => {
    const a = tf.reshape(x, [...lead, groups, c / groups]);
    const perm = [...lead.map((_, i) => i), lead.length + 1, lead.length];
    return tf.reshape(tf.transpose(a, perm), shape) as T;
  });
}
