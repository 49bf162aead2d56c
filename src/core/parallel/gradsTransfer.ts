import * as tf from '@tensorflow/tfjs';
import { flatten, unflatten } from './allReduce';

/**
 * Gradients of a replica's variables as one Float32Array for the all-reduce, and back. A
 * variable the loss does not reach (no gradient this step, e.g. an unused op) is sent as zeros
 * and listed in `missing`, so the receiving optimiser skips it instead of decaying it.
 */
export function gradsToFlat(
  vs: tf.Variable[],
  grads: tf.NamedTensorMap,
): { grads: Float32Array; missing: number[] } {
  const missing: number[] = [];
  const parts = vs.map((v, i) => {
    const g = grads[v.name];
    if (g) return g.dataSync() as Float32Array;
    missing.push(i);
    return new Float32Array(v.size);
  });
  return { grads: flatten(parts), missing };
}

/** One tensor per variable not in `missing`, keyed by variable name (caller disposes). */
export function flatToGrads(
  vs: tf.Variable[],
  flat: Float32Array,
  missing: number[],
): tf.NamedTensorMap {
  const views = unflatten(
    flat,
    vs.map((v) => v.size),
  );
  const grads: tf.NamedTensorMap = {};
  vs.forEach((v, i) => {
    if (!missing.includes(i)) grads[v.name] = tf.tensor(views[i], v.shape, 'float32');
  });
  return grads;
}
