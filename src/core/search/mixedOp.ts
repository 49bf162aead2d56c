import * as tf from '@tensorflow/tfjs';
import { createBinaryOp, type BinaryOp, type OpContext } from '../nn/binaryOp';
import { channelShuffle } from '../nn/channelShuffle';
import type { Params } from '../nn/params';
import { PRIMITIVES } from './types';
import { primitiveSpec } from './searchSpace';

/**
 * PC-DARTS mixed op on one edge: the first C/k channels go through Σ_o p_o · op_o, the other
 * C − C/k bypass it; the two parts are concatenated and channel-shuffled with k groups so the
 * next edge samples a different subset. p = softmax(α_edge) is computed by the caller (once per
 * forward, shared by all cells: α is shared across cells as in DARTS).
 */
export interface MixedOp {
  apply(x: tf.Tensor4D, p: tf.Tensor1D, ctx: OpContext): tf.Tensor4D;
}

export function createMixedOp(
  params: Params,
  name: string,
  channels: number,
  k: number,
  groups: number,
): MixedOp {
  if (channels % k !== 0)
    throw new Error(`${name}: channels ${channels} not divisible by k = ${k}`);
  const cp = channels / k;
  const ops: (BinaryOp | null)[] = PRIMITIVES.map((prim) => {
    const s = primitiveSpec(prim, groups);
    return s.kind === 'identity' ? null : createBinaryOp(params, `${name}/${prim}`, cp, s.spec);
  });
  return {
    apply(x, p, ctx) {
      return tf.tidy(() => {
        const [b, h, w] = x.shape;
        const xa = cp === channels ? x : tf.slice(x, [0, 0, 0, 0], [b, h, w, cp]);
        const outs = ops.map((op) => (op ? op.apply(xa, ctx) : xa));
        // Σ_o p_o · op_o(xa) as one weighted reduction over a stacked axis.
        const weighted = tf.sum(
          tf.mul(tf.stack(outs), tf.reshape(p, [PRIMITIVES.length, 1, 1, 1, 1])),
          0,
        );
        if (cp === channels) return weighted as tf.Tensor4D;
        const xb = tf.slice(x, [0, 0, 0, cp], [b, h, w, channels - cp]);
        return channelShuffle(tf.concat([weighted as tf.Tensor4D, xb], 3), k);
      });
    },
  };
}
