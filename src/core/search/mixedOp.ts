import * as tf from '@tensorflow/tfjs';
import { createBinaryOp, type BinaryOp, type OpContext } from '../nn/binaryOp';
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
        const mix = (xa: tf.Tensor4D) => {
          // Σ_o p_o · op_o(xa) as an addN of scaled terms: a weighted sum over a stacked axis
          // (stack + mul + sum(axis 0)) took ~35 % of a search step on WASM, whose Sum kernel
          // transposes the 5-D stack first (bench/profileSearch.ts).
          const ps = tf.unstack(p) as tf.Scalar[];
          return tf.addN(ops.map((op, i) => tf.mul(op ? op.apply(xa, ctx) : xa, ps[i])));
        };
        if (cp === channels) return mix(x) as tf.Tensor4D;
        // Partial channels with channel-major views: x [M, k, cp] → [k, M, cp], so the processed
        // block (the first cp channels) and the bypass are contiguous leading-axis pieces, and
        // concat + channel_shuffle(k) is one transpose back: out[m, j·k + i] = piece i's channel
        // j, i.e. shuffle(concat(mixed, bypass), k). Channel-axis slice/concat/shuffle cost
        // ~5× more on WASM (they copy one pixel's channels at a time).
        const m = b * h * w;
        const xt = tf.transpose(tf.reshape(x, [m, k, cp]), [1, 0, 2]);
        const xa = tf.reshape(tf.slice(xt, [0, 0, 0], [1, m, cp]), [b, h, w, cp]) as tf.Tensor4D;
        const rest = tf.slice(xt, [1, 0, 0], [k - 1, m, cp]);
        const mixed = tf.reshape(mix(xa), [1, m, cp]);
        const all = tf.concat([mixed, rest], 0); // [k, M, cp]
        return tf.reshape(tf.transpose(all, [1, 2, 0]), [b, h, w, channels]) as tf.Tensor4D;
      });
    },
  };
}
