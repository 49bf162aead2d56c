import * as tf from '@tensorflow/tfjs';
import { conv2d } from './conv';
import { edeSign, type EdeState } from './ede';
import { binaryOpReference, foldBinary, foldBinaryTensors } from './binaryFold';
import { binarizeWeights, standardizeWeights } from './libraPB';
import { binarizeWeightsHost, hostReadable } from './libraPBHost';
import type { Params } from './params';

export interface BinaryOpSpec {
  kernel: 1 | 3 | 5 | 7;
  dilation: 1 | 2;
  groups: number;
}

export interface OpContext {
  ede: EdeState;
  /** 'float' = no binarisation (tests) */
  mode?: 'binary' | 'float';
  /**
   * The weights are not differentiated in this pass (the search's α/β step): convs skip their
   * filter gradients (see ConvOpts). Values and the gradients that are computed are unchanged.
   */
  frozenWeights?: boolean;
  /**
   * Inference (no gradient): binary ops compute the integer sum first and scale it once,
   * out = x + f32(dot) · c (docs/model-format.md §3), which the packed engine reproduces bit for
   * bit. Training folds c into the filter instead (fewer kernels); the two differ only by float
   * rounding.
   */
  inference?: boolean;
}

/** Makes a binary op's variables under `name` (createBinaryOp, or createPackedBinaryOp). */
export type BinaryOpFactory = (
  params: Params,
  name: string,
  channels: number,
  spec: BinaryOpSpec,
) => BinaryOp;

export interface BinaryOp {
  /**
   * op(x), or add + op(x) when `add` is given: a cell node's sum with its other term, which the
   * packed WASM kernel fuses into its epilogue (the same two rounded adds, so the same numbers).
   */
  apply(x: tf.Tensor4D, ctx: OpContext, add?: tf.Tensor4D): tf.Tensor4D;
  /** All trainable numbers of the op (w, τ, s). */
  params: number;
  /** Those stored as 1 bit after training (the binarised filter). */
  binaryParams: number;
}

/**
 * Initial value of the per-output-channel scale s. The branch is normalised by 1/√fanIn (a fixed
 * constant, see below), so with s = 0.1 its output starts at ≈ 0.1 std: every binary op begins
 * close to the identity (its residual dominates), which keeps the signal stable through many
 * stacked residual edges without BN, while the branch still gets a non-zero gradient (s = 0
 * would block the gradient to w and τ). Adam (lr 1e-3) then moves s by ~1 % per step.
 */
export const S_INIT = 0.1;

/**
 * The op (docs/design.md §2.2): op(x) = x + s ⊙ (2^S · conv_g(sign(x − τ), sign(Ŵ))) / √fanIn.
 * τ: learnable per-input-channel threshold (init 0); Ŵ, 2^S: Libra-PB; s: learnable
 * per-output-channel scale replacing BN.
 *
 * The fixed 1/√fanIn (fanIn = k²·C/groups): a sum of fanIn products of ±1 has std √fanIn, so
 * without it a 7×7 op's branch would start ~2.3× larger than a 3×3 op's and s would have to
 * learn a kernel-dependent scale; with it every op's s lives on the same scale, so the
 * architecture weights compare ops on equal terms (the equalised-learning-rate idea).
 */
export function createBinaryOp(
  params: Params,
  name: string,
  channels: number,
  spec: BinaryOpSpec,
): BinaryOp {
  const { kernel: k, dilation, groups } = spec;
  if (channels % groups !== 0)
    throw new Error(
      `createBinaryOp(${name}): ${channels} channels not divisible by ${groups} groups`,
    );
  const cg = channels / groups;
  const fanIn = k * k * cg;
  const w = params.variable(`${name}/w`, [k, k, cg, channels], { kind: 'heNormal', fanIn });
  const tau = params.variable(`${name}/tau`, [channels], { kind: 'zeros' });
  const s = params.variable(`${name}/s`, [channels], { kind: 'constant', value: S_INIT });
  const norm = 1 / Math.sqrt(fanIn);
  const w4 = w as unknown as tf.Tensor4D;

  const withAdd = (y: tf.Tensor4D, add?: tf.Tensor4D): tf.Tensor4D =>
    add ? tf.tidy(() => tf.add(add, y) as tf.Tensor4D) : y;
  return {
    apply(x: tf.Tensor4D, ctx: OpContext, add?: tf.Tensor4D): tf.Tensor4D {
      if (add) return tf.tidy(() => withAdd(this.apply(x, ctx), add));
      if (x.shape[3] !== channels)
        throw new Error(`${name}: expected ${channels} channels, got ${x.shape[3]}`);
      if (ctx.inference && ctx.mode !== 'float')
        return tf.tidy(() => {
          // Fold on the host where reading the small filter is cheap (the same double-precision
          // Libra-PB that `srbnas pack` uses, so both engines take the same signs).
          let folded: { sign: tf.Tensor4D; scale: tf.Tensor1D };
          if (hostReadable()) {
            const f = foldBinary(w.dataSync(), s.dataSync(), fanIn);
            folded = { sign: tf.tensor4d(f.sign, w4.shape), scale: tf.tensor1d(f.scale) };
          } else folded = foldBinaryTensors(w4, s as unknown as tf.Tensor1D, fanIn);
          return binaryOpReference(x, tau, folded.sign, folded.scale, { groups, dilation });
        });
      return tf.tidy(() => {
        const shifted = tf.sub(x, tau) as tf.Tensor4D;
        // Per-output-channel factors (2^S, s, 1/√fanIn) are folded into the small filter —
        // conv(a, F)·c = conv(a, F·c) per output channel — so the feature map sees no
        // broadcast multiply, forward or backward (4 fewer full-size kernels per op).
        const coef = tf.mul(s, norm);
        // On WASM/CPU the tiny filter's Libra-PB runs in plain JS (one upload instead of ~25
        // kernels); on GPU backends it stays in tensor ops. Same value and gradient (tested).
        const binarize = hostReadable() ? binarizeWeightsHost : binarizeWeights;
        const filter = ctx.mode === 'float' ? standardizeWeights(w4) : binarize(w4, ctx.ede);
        const input = ctx.mode === 'float' ? shifted : edeSign(shifted, ctx.ede);
        const branch = conv2d(input, tf.mul(filter, coef) as tf.Tensor4D, {
          groups,
          dilation,
          skipFilterGrad: ctx.frozenWeights,
        });
        return tf.add(x, branch) as tf.Tensor4D;
      });
    },
    params: w.size + tau.size + s.size,
    binaryParams: w.size,
  };
}
