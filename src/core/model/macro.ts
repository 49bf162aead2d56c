import * as tf from '@tensorflow/tfjs';
import { hasShuffleAddKernel, runPixelShuffleAdd } from '../kernels/shuffleAdd';
import { pixelShuffle } from '../nn/pixelShuffle';
import type { Params } from '../nn/params';
import { createFpConv, type FpConv } from './fpConv';

/**
 * The SRBNAS macro architecture (docs/design.md §2) around any LR-resolution body:
 *   h = conv3x3_fp(3→C)(x_lr); s = body(h); b = conv3x3_fp(C→C)(s) + h;
 *   y = pixelShuffle_r(conv3x3_fp(C→3r²)(b)) [+ bicubic_r(x_lr)].
 * The evaluation network, the SRResNet-BNN baseline and the search's supernet use it (the
 * supernet with a small tail init instead of zeros, see tailGain), so a searched cell is
 * trained in the same surroundings it was searched in.
 */

/** Gradients the search skips (see Search.skipUnusedGrads); training computes them all. */
export interface MacroGrads {
  /** The head conv's input gradient (its input is the image). */
  skipHeadInputGrad?: boolean;
  /** Every filter gradient (the α/β step keeps the weights frozen). */
  skipFilterGrads?: boolean;
  /** Inference: no gradients at all (the FP convs fuse their bias). */
  inference?: boolean;
}

export interface Macro {
  head: FpConv;
  body: FpConv;
  tail: FpConv;
  forward(
    lr: tf.Tensor4D,
    bic: tf.Tensor4D | null,
    cells: (h: tf.Tensor4D) => tf.Tensor4D,
    grads?: MacroGrads,
  ): tf.Tensor4D;
}

/**
 * `buildCells` runs between the head and the body conv so variables are created in the
 * supernet's order (head, cells, body, tail) and a seed draws the same head weights.
 */
export function createMacro(
  params: Params,
  prefix: string,
  channels: number,
  scale: number,
  buildCells: () => void,
  /** Gain of the tail conv's He init; 0 = zeros, so the network starts as exactly bicubic. */
  tailGain = 1,
): Macro {
  const head = createFpConv(params, `${prefix}head`, 3, 3, channels);
  buildCells();
  const body = createFpConv(params, `${prefix}body`, 3, channels, channels);
  const tail = createFpConv(params, `${prefix}tail`, 3, channels, 3 * scale * scale, tailGain);
  return {
    head,
    body,
    tail,
    forward(lr, bic, cells, grads = {}) {
      const skipFilterGrad = grads.skipFilterGrads;
      const inference = grads.inference;
      return tf.tidy(() => {
        const h = head.apply(lr, {
          skipInputGrad: grads.skipHeadInputGrad,
          skipFilterGrad,
          inference,
        });
        const b = tf.add(body.apply(cells(h), { skipFilterGrad, inference }), h) as tf.Tensor4D;
        const t = tail.apply(b, { skipFilterGrad, inference });
        // At inference on WASM, shuffle and shortcut add in one pass (same values).
        if (bic && inference && hasShuffleAddKernel()) return runPixelShuffleAdd(t, bic, scale);
        const up = pixelShuffle(t, scale);
        return bic ? (tf.add(up, bic) as tf.Tensor4D) : up;
      });
    },
  };
}
