import * as tf from '@tensorflow/tfjs';
import { pixelShuffle } from '../nn/pixelShuffle';
import type { Params } from '../nn/params';
import { createFpConv, type FpConv } from './fpConv';

/**
 * The SRBNAS macro architecture (docs/design.md §2) around any LR-resolution body:
 *   h = conv3x3_fp(3→C)(x_lr); s = body(h); b = conv3x3_fp(C→C)(s) + h;
 *   y = pixelShuffle_r(conv3x3_fp(C→3r²)(b)) [+ bicubic_r(x_lr)].
 * The evaluation network and the SRResNet-BNN baseline use it; the supernet builds the same
 * graph itself (src/core/search/supernet.ts) with the same initialisation, except the tail
 * (see tailGain).
 */
export interface Macro {
  head: FpConv;
  body: FpConv;
  tail: FpConv;
  forward(
    lr: tf.Tensor4D,
    bic: tf.Tensor4D | null,
    cells: (h: tf.Tensor4D) => tf.Tensor4D,
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
    forward(lr, bic, cells) {
      return tf.tidy(() => {
        const h = head.apply(lr);
        const b = tf.add(body.apply(cells(h)), h) as tf.Tensor4D;
        const up = pixelShuffle(tail.apply(b), scale);
        return bic ? (tf.add(up, bic) as tf.Tensor4D) : up;
      });
    },
  };
}
