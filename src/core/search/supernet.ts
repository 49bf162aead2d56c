import * as tf from '@tensorflow/tfjs';
import type { OpContext } from '../nn/binaryOp';
import { Params } from '../nn/params';
import { createMacro, type Macro } from '../model/macro';
import { PRIMITIVES } from './types';
import { createCell, type Cell } from './cell';
import { edgeGates } from './edgeGates';
import { EDGES } from './searchSpace';

export interface SupernetConfig {
  scale: number;
  channels: number;
  cells: number;
  k: number;
  groups: number;
  seed: number;
  /** α init: 0 (exactly uniform) or std·N(0,1), seeded. Default 1e-3. */
  alphaInitStd?: number;
}

/** Check the channel arithmetic up front, with a message that names the setting. */
export function checkSupernetConfig(c: SupernetConfig): void {
  const int = (v: number, n: string) => {
    if (!Number.isInteger(v) || v < 1) throw new Error(`${n} must be a positive integer, got ${v}`);
  };
  int(c.channels, 'channels');
  int(c.cells, 'cells');
  int(c.k, 'k');
  int(c.groups, 'groups');
  if (c.channels % c.k !== 0)
    throw new Error(`channels (${c.channels}) must be divisible by k (${c.k})`);
  if ((c.channels / c.k) % c.groups !== 0)
    throw new Error(`channels/k (${c.channels / c.k}) must be divisible by groups (${c.groups})`);
  // (These two imply channels divisible by groups, which the binary convs need.)
}

/**
 * The SRBNAS supernet (docs/design.md §2): the macro architecture with two full-precision
 * shortcuts (model/macro.ts, the evaluation network's too) around the supernet cells:
 *   h = conv3x3_fp(3→C)(x_lr); s = cells(h); b = conv3x3_fp(C→C)(s) + h;
 *   y = pixelShuffle_r(conv3x3_fp(C→3r²)(b)) + bicubic_r(x_lr).
 * The bicubic image comes in with the batch (the data pipeline precomputes it per image).
 * Weights live in `weights`, α [14][6] and β [14] in `arch`, so the two optimisers see
 * disjoint variable lists.
 */
let instances = 0;

/** He-init gain of the last conv (C → 3r²); see the constructor. */
export const TAIL_INIT_GAIN = 0.01;

export class Supernet {
  /** Prefix of this instance's variable names (tfjs names variables globally). */
  readonly prefix: string;
  readonly weights: Params;
  readonly arch: Params;
  readonly alpha: tf.Variable;
  readonly beta: tf.Variable;
  private readonly cells: Cell[] = [];
  /** Skip the head conv's input gradient (its input is the image); see Search.skipUnusedGrads. */
  skipUnusedGrads = true;
  private readonly macro: Macro;

  constructor(readonly config: SupernetConfig) {
    checkSupernetConfig(config);
    const { channels: C, scale: r, seed } = config;
    const id = (this.prefix = `supernet${instances++}/`);
    // Separate seeds: adding a weight never shifts the α draws (and vice versa).
    this.weights = new Params(seed);
    this.arch = new Params(seed ^ 0x0a1fa);
    const std = config.alphaInitStd ?? 1e-3;
    this.alpha = this.arch.variable(
      `${id}alpha`,
      [EDGES, PRIMITIVES.length],
      std > 0 ? { kind: 'normal', std } : { kind: 'zeros' },
    );
    this.beta = this.arch.variable(`${id}beta`, [EDGES], { kind: 'zeros' });
    // Without BN the features grow through the cells (each node sums ~2 gated edges), so an
    // ordinary init makes the first SR residual ~30× the bicubic error. A small tail init starts
    // the network at y ≈ bicubic (the image-level shortcut), so the search begins from a
    // sensible SR model instead of spending its warm-up undoing the init.
    this.macro = createMacro(
      this.weights,
      id,
      C,
      r,
      () => {
        for (let i = 0; i < config.cells; i++)
          this.cells.push(createCell(this.weights, `${id}cell${i}`, C, config.k, config.groups));
      },
      TAIL_INIT_GAIN,
    );
  }

  /** SR output [B, p·r, p·r, 3] from LR [B, p, p, 3] and its bicubic upscale. */
  forward(lr: tf.Tensor4D, bic: tf.Tensor4D, ctx: OpContext): tf.Tensor4D {
    return tf.tidy(() => {
      const p = tf.unstack(tf.softmax(this.alpha as tf.Tensor2D, -1)) as tf.Tensor1D[];
      const g = tf.unstack(edgeGates(this.beta as tf.Tensor1D)) as tf.Scalar[];
      const cells = (h: tf.Tensor4D) => {
        let s0 = h;
        let s1 = h;
        for (const cell of this.cells) {
          const out = cell.apply(s0, s1, p, g, ctx);
          s0 = s1;
          s1 = out;
        }
        return s1;
      };
      return this.macro.forward(lr, bic, cells, {
        // The head's input is the LR image: its gradient is never used.
        skipHeadInputGrad: this.skipUnusedGrads,
        skipFilterGrads: ctx.frozenWeights,
      });
    });
  }

  dispose(): void {
    this.weights.dispose();
    this.arch.dispose();
  }
}
