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
          // Chained adds, not addN: addN's gradient hands each input a copy of dy (an Identity
          // kernel, a full copy on WASM), add's gradient passes dy through. Same sum order.
          const terms = ops.map((op, i) => tf.mul(op ? op.apply(xa, ctx) : xa, ps[i]));
          return terms.reduce((acc, t) => tf.add(acc, t));
        };
        if (cp === channels) return mix(x) as tf.Tensor4D;
        // Partial channels, built from WASM kernels that run in C++ (transpose, broadcast
        // multiply, innermost sum): tfjs-wasm's Slice/Concat/Split copy their whole input out
        // of the heap in JS (~13 % of a step when this used leading-axis slices + concat).
        // s = shuffle(x, k) as [M, cp, k]: s[m, j, i] = x[m, i·cp + j]. The processed block
        // (channels 0..cp−1) is s[..., 0]; shuffle(concat(mixed, bypass), k) is s with
        // s[..., 0] replaced by the mixed output. Masks are exact 0/1, so values are unchanged.
        const m = b * h * w;
        const s = tf.transpose(tf.reshape(x, [m, k, cp]), [0, 2, 1]);
        const e0 = tf.tensor1d(Array.from({ length: k }, (_, i) => (i === 0 ? 1 : 0))); // [k]
        const xa = tf.reshape(tf.sum(tf.mul(s, e0), 2), [b, h, w, cp]) as tf.Tensor4D;
        const mixed = tf.reshape(mix(xa), [m, cp, 1]);
        const out = tf.add(tf.mul(s, tf.sub(1, e0)), tf.mul(mixed, e0));
        return tf.reshape(out, [b, h, w, channels]) as tf.Tensor4D;
      });
    },
  };
}
