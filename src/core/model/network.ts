import * as tf from '@tensorflow/tfjs';
import {
  createBinaryOp,
  type BinaryOp,
  type BinaryOpFactory,
  type OpContext,
} from '../nn/binaryOp';
import { createPackedBinaryOp } from '../nn/packedBinaryOp';
import { Params } from '../nn/params';
import { pixelShuffle } from '../nn/pixelShuffle';
import { checkArchConfig, type ArchConfig } from './config';
import { createEvalCell, type EvalCell } from './evalCell';
import { createFpConv } from './fpConv';
import { createMacro } from './macro';

/**
 * A trainable SR network: LR [B, h, w, 3] in [0,1] (and its bicubic upscale [B, h·r, w·r, 3],
 * which networks without an image-level shortcut ignore) → SR [B, h·r, w·r, 3].
 */
/**
 * 'float': binary ops hold latent float weights (trainable; the reference at inference).
 * 'packed': binary ops hold signs, τ and folded scales only (docs/model-format.md §4) and run the
 * XNOR-popcount kernel where the backend has one. Inference only.
 */
export type Engine = 'float' | 'packed';
export const ENGINES: readonly Engine[] = ['float', 'packed'];

export interface SRNetwork {
  readonly config: ArchConfig;
  readonly engine: Engine;
  readonly params: Params;
  /** Prefix of this instance's variable names (tfjs registers variable names globally). */
  readonly prefix: string;
  forward(lr: tf.Tensor4D, bic: tf.Tensor4D, ctx: OpContext): tf.Tensor4D;
  /** Variable name without this instance's prefix (the name stored in files). */
  localName(v: tf.Variable): string;
  dispose(): void;
}

/** Inference: only the forward (sign) matters, so any EDE (t, k) will do. */
export const INFERENCE_CTX: OpContext = { ede: { t: 10, k: 1 }, inference: true };

let instances = 0;

/** Build the network of `config` with seeded initial weights. */
export function buildNetwork(config: ArchConfig, seed = 1, engine: Engine = 'float'): SRNetwork {
  checkArchConfig(config);
  const params = new Params(seed);
  const prefix = `${config.arch}${instances++}/`;
  const makeOp = engine === 'packed' ? createPackedBinaryOp : createBinaryOp;
  const forward = buildForward(config, params, prefix, makeOp);
  return {
    config,
    engine,
    params,
    prefix,
    forward,
    localName: (v) => (v.name.startsWith(prefix) ? v.name.slice(prefix.length) : v.name),
    dispose: () => params.dispose(),
  };
}

type Forward = SRNetwork['forward'];

function buildForward(
  c: ArchConfig,
  params: Params,
  id: string,
  createOp: BinaryOpFactory,
): Forward {
  switch (c.arch) {
    case 'srbnas': {
      const cells: EvalCell[] = [];
      // Tail gain 0: the untrained network is exactly bicubic, and training only adds detail
      // (with He init the residual started at std 13 on [0,1] images and L1 ≈ 8).
      const macro = createMacro(
        params,
        id,
        c.channels,
        c.scale,
        () => {
          for (let i = 0; i < c.cells; i++)
            cells.push(
              createEvalCell(params, `${id}cell${i}`, c.genotype, c.channels, c.groups, createOp),
            );
        },
        0,
      );
      return (lr, bic, ctx) =>
        macro.forward(
          lr,
          bic,
          (h) => {
            let s0 = h;
            let s1 = h;
            for (const cell of cells) {
              const out = cell.apply(s0, s1, ctx);
              s0 = s1;
              s1 = out;
            }
            return s1;
          },
          { inference: ctx.inference },
        );
    }
    case 'srresnet-bnn': {
      const blocks: [BinaryOp, BinaryOp][] = [];
      const spec = { kernel: 3, dilation: 1, groups: c.groups } as const;
      const macro = createMacro(params, id, c.channels, c.scale, () => {
        for (let i = 0; i < c.blocks; i++)
          blocks.push([
            createOp(params, `${id}block${i}/conv1`, c.channels, spec),
            createOp(params, `${id}block${i}/conv2`, c.channels, spec),
          ]);
      });
      return (lr, _bic, ctx) =>
        macro.forward(
          lr,
          null,
          (h) =>
            // Each binary op carries its own identity (x + s·conv), which is the block's
            // residual: adding another identity per block would double the signal per block.
            blocks.reduce((x, [a, b]) => b.apply(a.apply(x, ctx), ctx), h),
          { inference: ctx.inference },
        );
    }
    case 'vdsr-bnn': {
      const first = createFpConv(params, `${id}first`, 3, 3, c.channels);
      const spec = { kernel: 3, dilation: 1, groups: c.groups } as const;
      const layers = Array.from({ length: c.layers }, (_, i) =>
        createOp(params, `${id}layer${i}`, c.channels, spec),
      );
      // Zero init: starts as exactly bicubic, like the SRBNAS tail (global residual learning).
      const last = createFpConv(params, `${id}last`, 3, c.channels, 3, 0);
      return (_lr, bic, ctx) =>
        tf.tidy(() => {
          const x = layers.reduce((h, op) => op.apply(h, ctx), first.apply(bic));
          return tf.add(last.apply(x), bic) as tf.Tensor4D;
        });
    }
    case 'espcn': {
      const [w1, w2] = c.widths;
      const r = c.scale;
      // tanh layers: gain 1 (Xavier-like) rather than ReLU's √2.
      const l1 = createFpConv(params, `${id}conv1`, 5, 3, w1);
      const l2 = createFpConv(params, `${id}conv2`, 3, w1, w2);
      const l3 = createFpConv(params, `${id}conv3`, 3, w2, 3 * r * r);
      return (lr) =>
        tf.tidy(() => pixelShuffle(l3.apply(tf.tanh(l2.apply(tf.tanh(l1.apply(lr))))), r));
    }
  }
}
