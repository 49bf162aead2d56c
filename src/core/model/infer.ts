import * as tf from '@tensorflow/tfjs';
import { resizeBicubic, resizeBicubicFloat } from '../image/bicubic';
import {
  createFloatImage,
  createImage,
  crop,
  toFloat,
  toRgb,
  toUint8,
  type FloatImage,
  type Image,
} from '../image/image';
import { receptiveRadius } from './count';
import { INFERENCE_CTX, type SRNetwork } from './network';

/** Largest SR output we build (pixels): a 64 MP RGB float image is already 768 MB. */
export const MAX_OUTPUT_PIXELS = 64e6;

export interface UpscaleOptions {
  /** Side of the LR tile whose output is kept (default 96; ≥ the image = untiled). */
  tile?: number;
  /**
   * LR pixels of context around each tile (default: the network's receptive-field radius, which
   * makes the tiled result equal to the untiled one; smaller values trade seams for speed).
   */
  overlap?: number;
  /** Called after each tile (done, total), e.g. for a progress bar or `upscale:tile` events. */
  onTile?: (done: number, total: number) => void;
}

/** Bicubic upscale of a float RGB image to exactly r× its size (the network's image shortcut). */
export function bicubicUp(lr: FloatImage, r: number): FloatImage {
  return resizeBicubicFloat(lr, {
    direction: 'up',
    factor: r,
    outWidth: lr.width * r,
    outHeight: lr.height * r,
  });
}

function toTensor(img: FloatImage): tf.Tensor4D {
  return tf.tensor4d(img.data, [1, img.height, img.width, img.channels]);
}

/**
 * SR of a float RGB image in [0,1] (unclamped result). The image is cut into tiles of
 * `tile`×`tile` LR pixels; each runs with `overlap` pixels of real context on every side (less
 * at the image border, where the untiled network also sees its zero padding) and only its
 * centre is kept, so with overlap ≥ receptiveRadius() there are no seams. Every tensor is
 * disposed before the next tile.
 */
export async function upscaleFloat(
  net: SRNetwork,
  lr: FloatImage,
  opts: UpscaleOptions = {},
): Promise<FloatImage> {
  if (lr.channels !== 3) throw new Error('upscaleFloat: expects an RGB image');
  const r = net.config.scale;
  const outPixels = lr.width * r * lr.height * r;
  if (outPixels > MAX_OUTPUT_PIXELS)
    throw new Error(
      `a ${lr.width}x${lr.height} image at x${r} gives ${(outPixels / 1e6).toFixed(0)} MP, ` +
        `above the limit of ${MAX_OUTPUT_PIXELS / 1e6} MP: crop or shrink it first`,
    );
  // Infinity (or anything ≥ the image) = one tile.
  const tile = Math.max(1, Math.min(Math.floor(opts.tile ?? 96), Math.max(lr.width, lr.height)));
  const m = Math.max(0, Math.floor(opts.overlap ?? receptiveRadius(net.config)));
  const bic = bicubicUp(lr, r);
  const out = createFloatImage(lr.width * r, lr.height * r, 3);
  const nx = Math.ceil(lr.width / tile);
  const ny = Math.ceil(lr.height / tile);
  let done = 0;
  for (let ty = 0; ty < ny; ty++) {
    for (let tx = 0; tx < nx; tx++) {
      const x0 = tx * tile;
      const y0 = ty * tile;
      const x1 = Math.min(lr.width, x0 + tile);
      const y1 = Math.min(lr.height, y0 + tile);
      const ix0 = Math.max(0, x0 - m);
      const iy0 = Math.max(0, y0 - m);
      const iw = Math.min(lr.width, x1 + m) - ix0;
      const ih = Math.min(lr.height, y1 + m) - iy0;
      const lrT = toTensor(crop(lr, ix0, iy0, iw, ih));
      const bicT = toTensor(crop(bic, ix0 * r, iy0 * r, iw * r, ih * r));
      const y = tf.tidy(() => net.forward(lrT, bicT, INFERENCE_CTX));
      tf.dispose([lrT, bicT]);
      const data = (await y.data()) as Float32Array;
      y.dispose();
      // Keep the centre: rows (y0−iy0)·r .. (y1−iy0)·r, cols likewise.
      const W = iw * r;
      const cw = (x1 - x0) * r;
      for (let row = (y0 - iy0) * r, oy = y0 * r; oy < y1 * r; row++, oy++) {
        const from = (row * W + (x0 - ix0) * r) * 3;
        out.data.set(data.subarray(from, from + cw * 3), (oy * out.width + x0 * r) * 3);
      }
      opts.onTile?.(++done, nx * ny);
    }
  }
  return out;
}

/**
 * Upscale an 8-bit image (what files hold): RGB through the network, output clamped to [0,255]
 * and rounded. Grayscale comes back grayscale (mean of the RGB output), alpha is upscaled
 * bicubically.
 */
export async function upscaleImage(
  net: SRNetwork,
  img: Image,
  opts: UpscaleOptions = {},
): Promise<Image> {
  const r = net.config.scale;
  const sr = await upscaleFloat(net, toFloat(toRgb(img)), opts);
  const out = createImage(sr.width, sr.height, img.channels);
  const n = sr.width * sr.height;
  if (img.channels === 1) {
    for (let i = 0; i < n; i++)
      out.data[i] = toUint8(((sr.data[3 * i] + sr.data[3 * i + 1] + sr.data[3 * i + 2]) / 3) * 255);
    return out;
  }
  const c = img.channels;
  for (let i = 0; i < n; i++)
    for (let k = 0; k < 3; k++) out.data[i * c + k] = toUint8(sr.data[3 * i + k] * 255);
  if (c === 4) {
    const alpha = createImage(img.width, img.height, 1);
    for (let i = 0; i < img.width * img.height; i++) alpha.data[i] = img.data[4 * i + 3];
    const a = resizeBicubic(alpha, { direction: 'up', factor: r });
    for (let i = 0; i < n; i++) out.data[4 * i + 3] = a.data[i];
  }
  return out;
}
