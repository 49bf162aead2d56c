import type { FloatImage, Image } from './image';
import { toUint8 } from './image';

/** BT.601 luma weights for RGB in [0,1] giving Y in [16, 235] (rgb2ycbcr, docs/design.md §3). */
export const BT601_Y = { offset: 16, r: 65.481, g: 128.553, b: 24.966 } as const;

export interface LumaOptions {
  /**
   * Round Y to an integer (half away from zero), as MATLAB's rgb2ycbcr does for uint8 images.
   * Default false (BasicSR keeps Y as float).
   */
  round?: boolean;
  /** The value of white in the input samples (255 for Image; pass 1 for [0,1] floats). */
  white?: number;
}

/**
 * The Y (luma) plane of an image in [0, 255] as float64, for PSNR/SSIM.
 *
 * RGB(A): Y = 16 + 65.481 R + 128.553 G + 24.966 B with RGB in [0,1].
 * Grayscale (Set14 'bridge'): the gray sample is taken as Y itself, as the BasicSR/MATLAB
 * evaluation scripts do (they only convert images that have 3 channels).
 */
export function lumaY(img: Image | FloatImage, opts: LumaOptions = {}): Float64Array {
  const white = opts.white ?? 255;
  const n = img.width * img.height;
  const c = img.channels;
  const src = img.data;
  const out = new Float64Array(n);
  if (c === 1) {
    const k = 255 / white;
    for (let i = 0; i < n; i++) out[i] = src[i] * k;
  } else {
    const kr = BT601_Y.r / white;
    const kg = BT601_Y.g / white;
    const kb = BT601_Y.b / white;
    for (let i = 0; i < n; i++) {
      const p = i * c;
      out[i] = BT601_Y.offset + kr * src[p] + kg * src[p + 1] + kb * src[p + 2];
    }
  }
  if (opts.round) for (let i = 0; i < n; i++) out[i] = toUint8(out[i]);
  return out;
}
