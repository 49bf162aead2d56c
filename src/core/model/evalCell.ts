import * as tf from '@tensorflow/tfjs';
import {
  createBinaryOp,
  type BinaryOp,
  type BinaryOpFactory,
  type OpContext,
} from '../nn/binaryOp';
import type { Params } from '../nn/params';
import { primitiveSpec } from '../search/searchSpace';
import type { Genotype } from '../search/types';
import { concatChannels } from '../nn/channels';
import { hasConcatKernel, runConcatChannels } from '../kernels/binconv';
import { createFpConv } from './fpConv';

/**
 * A derived cell of the evaluation network (docs/design.md §2.11): the genotype's 8
 * chosen edges, each its op at full C channels (no partial channels, no α, no gates); node j
 * (states 2..5) = sum of its 2 chosen inputs' ops; output = conv1x1_fp(concat(nodes 2..5)) + s1.
 */
/** He gain of the cell's 1×1 fuse conv at init (see createEvalCell). */
export const FUSE_GAIN = 0.1;

export interface EvalCell {
  apply(s0: tf.Tensor4D, s1: tf.Tensor4D, ctx: OpContext): tf.Tensor4D;
}

export function createEvalCell(
  params: Params,
  name: string,
  genotype: Genotype,
  channels: number,
  groups: number,
  /** How binary ops are made: latent weights (training, float engine) or packed. */
  makeOp: BinaryOpFactory = createBinaryOp,
): EvalCell {
  const ops: (BinaryOp | null)[] = genotype.normal.map(([prim], e) => {
    const s = primitiveSpec(prim, groups);
    return s.kind === 'identity'
      ? null
      : makeOp(params, `${name}/edge${e}_${prim}`, channels, s.spec);
  });
  const concat = genotype.normal_concat;
  // Without BN, sums compound: with every op near the identity (x + small), node 2 ≈ 2x,
  // node 3 ≈ 3x, node 4 ≈ 5x, node 5 ≈ 6x, so a 1/√fanIn fuse makes each cell ≈ 4× its input
  // and 3 cells ≈ 85× (measured: SR − bicubic had std 13 at init with C = 32). A fuse gain of
  // FUSE_GAIN starts every cell close to its s1 shortcut instead; the fuse is full precision
  // and learns its own scale.
  const fuse = createFpConv(
    params,
    `${name}/fuse`,
    1,
    concat.length * channels,
    channels,
    FUSE_GAIN,
  );
  return {
    apply(s0, s1, ctx) {
      return tf.tidy(() => {
        const states: tf.Tensor4D[] = [s0, s1];
        for (let j = 0; j < genotype.normal.length / 2; j++) {
          // node = term 0 + term 1; a binary op takes the other term as its `add`, which the
          // packed WASM kernel fuses (one pass instead of op, then add).
          const [x0, x1] = [2 * j, 2 * j + 1].map((e) => states[genotype.normal[e][1]]);
          const [op0, op1] = [ops[2 * j], ops[2 * j + 1]];
          let node: tf.Tensor4D;
          if (op1) node = op1.apply(x1, ctx, op0 ? op0.apply(x0, ctx) : x0);
          else if (op0) node = op0.apply(x0, ctx, x1);
          else node = tf.add(x0, x1) as tf.Tensor4D;
          states.push(node);
        }
        // concatChannels: tf.concat on the channel axis copies one pixel row at a time on WASM
        // (12 ms per cell at 256², C = 32); this is one transpose. At inference on WASM, one
        // pass of copies in our kernel (8 vs 14 ms per forward at 256², C = 32). Same values.
        const parts = concat.map((i) => states[i]);
        const cat =
          ctx.inference && hasConcatKernel() ? runConcatChannels(parts) : concatChannels(parts);
        return tf.add(fuse.apply(cat, { inference: ctx.inference }), s1) as tf.Tensor4D;
      });
    },
  };
}
