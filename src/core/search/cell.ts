import * as tf from '@tensorflow/tfjs';
import type { OpContext } from '../nn/binaryOp';
import { conv2dFP } from '../nn/conv';
import type { Params } from '../nn/params';
import { createMixedOp, type MixedOp } from './mixedOp';
import { NODES, nodeEdges } from './searchSpace';

/**
 * DARTS normal cell of the supernet (docs/design.md §2): states 0 and 1 are the cell's inputs
 * (s0 = output of cell i−2, s1 = output of cell i−1); intermediate node j (states 2..5) is
 * Σ_{i<j} g_ij · MixedOp_ij(state_i); the output is conv1x1_fp(concat(nodes 2..5)) + s1.
 * No preprocessing of s0/s1: every state has C channels at LR resolution.
 */
/** He-init gain of the cell's 1×1 fusion conv. */
export const FUSE_INIT_GAIN = 0.1;

export interface Cell {
  /** p: softmax(α) rows [14] of [6]; gates: g [14] as scalars. */
  apply(
    s0: tf.Tensor4D,
    s1: tf.Tensor4D,
    p: tf.Tensor1D[],
    gates: tf.Scalar[],
    ctx: OpContext,
  ): tf.Tensor4D;
}

export function createCell(
  params: Params,
  name: string,
  channels: number,
  k: number,
  groups: number,
): Cell {
  const edges: MixedOp[] = [];
  for (let j = 0; j < NODES; j++)
    for (const { edge } of nodeEdges(j))
      edges[edge] = createMixedOp(params, `${name}/edge${edge}`, channels, k, groups);
  // 1×1 fusion of the 4 nodes, initialised small so a fresh cell is close to its identity
  // shortcut (output ≈ s1): without BN, nodes sum ~2 gated edges each and an ordinary init
  // would multiply the feature scale by ~3 per cell.
  const w = params.variable(`${name}/fuse/w`, [1, 1, NODES * channels, channels], {
    kind: 'heNormal',
    fanIn: NODES * channels,
    gain: FUSE_INIT_GAIN,
  });
  const bias = params.variable(`${name}/fuse/b`, [channels], { kind: 'zeros' });
  return {
    apply(s0, s1, p, gates, ctx) {
      return tf.tidy(() => {
        const states: tf.Tensor4D[] = [s0, s1];
        for (let j = 0; j < NODES; j++) {
          const terms = nodeEdges(j).map(({ edge, input }) =>
            tf.mul(gates[edge], edges[edge].apply(states[input], p[edge], ctx)),
          );
          // Chained adds (same sum order as addN): addN's gradient copies dy once per input.
          states.push(terms.reduce((acc, t) => tf.add(acc, t)) as tf.Tensor4D);
        }
        const fused = conv2dFP(
          tf.concat(states.slice(2), 3) as tf.Tensor4D,
          w as unknown as tf.Tensor4D,
          bias as unknown as tf.Tensor1D,
          { skipFilterGrad: ctx.frozenWeights },
        );
        return tf.add(fused, s1) as tf.Tensor4D;
      });
    },
  };
}
