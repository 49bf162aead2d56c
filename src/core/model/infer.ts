import * as tf from '@tensorflow/tfjs';
import {
  bicubicUpWindow,
  resizeBicubic,
  resizeBicubicFloat,
  type BicubicScratch,
} from '../image/bicubic';
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
  /**
   * LR tile whose output is kept: a side (default 96; ≥ the image = untiled) or a rectangle
   * (e.g. full-width bands, to split one image between workers).
   */
  tile?: number | { width: number; height: number };
  /** Compute only the tiles whose index (row-major) passes; the others are neither run nor sunk. */
  only?: (index: number) => boolean;
  /**
   * LR pixels of context around each tile (default: the network's receptive-field radius, which
   * makes the tiled result equal to the untiled one; smaller values trade seams for speed).
   */
  overlap?: number;
  /** Called after each tile (done, total), e.g. for a progress bar or `upscale:tile` events. */
  onTile?: (done: number, total: number) => void;
  /**
   * Awaited after each tile: a worker passes a yield to its event loop here, so a cancel (or a
   * helper's tile) is handled between tiles — on WASM a tile's read-back resolves as a microtask
   * and would otherwise never let a message in until the whole image is done.
   */
  yieldEachTile?: () => Promise<void>;
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
 * One tile's kept result: SR rows of `width × height` HR pixels at HR (x, y), RGB float. Row j
 * starts at data[offset + j·stride] (defaults 0 and width·3): the network's whole output, of
 * which the kept centre is a window, so no copy of it is made (tileRow finds a row). On WASM
 * `data` is a view of the backend's heap, valid only during the sink call: a sink that keeps
 * or sends the tile copies it first (compactTile).
 */
export interface SrTile {
  x: number;
  y: number;
  width: number;
  height: number;
  data: Float32Array;
  stride?: number;
  offset?: number;
}

/**
 * Run the network once on a blank tile of `tile` LR pixels plus its context and drop the result,
 * so that the first real tile does not pay for the engine's start: WASM code still unoptimised
 * and a heap not yet grown to a tile's tensors (a cold x3 forward took 3× a warm one on the
 * 2-core test machine). Returns the seconds it took.
 */
export async function warmUp(net: SRNetwork, tile: number): Promise<number> {
  const t0 = performance.now();
  const side = Math.max(1, Math.floor(tile)) + 2 * receptiveRadius(net.config);
  const r = net.config.scale;
  const lr = tf.zeros([1, side, side, 3]) as tf.Tensor4D;
  const bic = tf.zeros([1, side * r, side * r, 3]) as tf.Tensor4D;
  const y = tf.tidy(() => net.forward(lr, bic, INFERENCE_CTX));
  try {
    await readOutput(y); // on WebGPU the forward is only done once read; on WASM no copy
  } finally {
    tf.dispose([lr, bic, y]);
  }
  return (performance.now() - t0) / 1000;
}

/** The tile's kept pixels in a new array of their own (stride width·3, offset 0). */
export function compactTile(t: SrTile): SrTile {
  const data = new Float32Array(t.width * t.height * 3);
  for (let row = 0; row < t.height; row++) {
    const from = tileRow(t, row);
    data.set(t.data.subarray(from, from + t.width * 3), row * t.width * 3);
  }
  return { x: t.x, y: t.y, width: t.width, height: t.height, data };
}

/** What readOutput needs of tfjs-backend-wasm (not imported: core stays backend-agnostic). */
interface WasmHeapBackend {
  wasm: { HEAPF32: Float32Array };
  dataIdMap: { get(id: object): { memoryOffset: number } | undefined };
}

/**
 * A float32 tensor's values: on WASM a view of the backend heap (no copy; valid until the
 * tensor is disposed or the next kernel runs), elsewhere tfjs' own read-back. A 1144² ×3 tile
 * output is 15.7 MB; a fresh array of that size cost ≈ 45 ms of page faults per tile on the
 * 2-core test machine.
 */
export async function readOutput(y: tf.Tensor): Promise<Float32Array> {
  if (tf.getBackend() === 'wasm' && y.dtype === 'float32') {
    const b = tf.backend() as unknown as WasmHeapBackend;
    const at = b.dataIdMap?.get(y.dataId)?.memoryOffset;
    const heap = b.wasm?.HEAPF32;
    if (at !== undefined && heap) return new Float32Array(heap.buffer, at, y.size);
  }
  return (await y.data()) as Float32Array;
}

/** Index in `t.data` of the first sample of the tile's row `row`. */
export function tileRow(t: SrTile, row: number): number {
  return (t.offset ?? 0) + row * (t.stride ?? t.width * 3);
}

/** Tile size and count for `tile` (Infinity, or anything ≥ the image, = one tile). */
export function tileGrid(
  width: number,
  height: number,
  tile: UpscaleOptions['tile'] = 96,
): { tw: number; th: number; nx: number; ny: number } {
  const side = (v: number, len: number) => Math.max(1, Math.min(Math.floor(v), len));
  const tw = side(typeof tile === 'number' ? tile : tile.width, width);
  const th = side(typeof tile === 'number' ? tile : tile.height, height);
  return { tw, th, nx: Math.ceil(width / tw), ny: Math.ceil(height / th) };
}

function countOnly(n: number, only: (i: number) => boolean): number {
  let c = 0;
  for (let i = 0; i < n; i++) if (only(i)) c++;
  return c;
}

/** LR context beyond a tile's window for its bicubic shortcut (nonzero taps reach 2 pixels, all 6 taps 3). */
const BIC_MARGIN = 4;

export function checkOutputSize(width: number, height: number, r: number): void {
  const outPixels = width * r * height * r;
  if (outPixels > MAX_OUTPUT_PIXELS)
    throw new Error(
      `a ${width}x${height} image at x${r} gives ${(outPixels / 1e6).toFixed(0)} MP, ` +
        `above the limit of ${MAX_OUTPUT_PIXELS / 1e6} MP: crop or shrink it first`,
    );
}

/**
 * The tiled inference loop. The LR image is cut into tiles of `tile`×`tile` pixels; each runs
 * with `overlap` pixels of real context on every side (less at the image border, where the
 * untiled network also sees its zero padding) and only its centre is kept, so with overlap ≥
 * receptiveRadius() there are no seams. The bicubic shortcut is computed per tile from the same
 * context plus BIC_MARGIN pixels with the whole image's weights, so it too equals the
 * whole-image one bit for bit. `lrCrop(x, y, w, h)` supplies the float RGB window, so callers can
 * convert from 8 bits tile by tile: memory stays at one tile's tensors plus the caller's output,
 * whatever the image size. Every tensor is disposed before the next tile.
 */
export async function upscaleTiles(
  net: SRNetwork,
  width: number,
  height: number,
  lrCrop: (x: number, y: number, w: number, h: number) => FloatImage,
  sink: (t: SrTile) => void,
  opts: UpscaleOptions = {},
): Promise<void> {
  const r = net.config.scale;
  checkOutputSize(width, height, r);
  const { tw, th, nx, ny } = tileGrid(width, height, opts.tile);
  const m = Math.max(0, Math.floor(opts.overlap ?? receptiveRadius(net.config)));
  const total = opts.only ? countOnly(nx * ny, opts.only) : nx * ny;
  let done = 0;
  // The bicubic's buffers and weights, reused by every tile (fresh large arrays cost their
  // page faults each time: about 3 ms per MB on the 2-core test machine).
  const scratch: BicubicScratch = {};
  for (let ty = 0; ty < ny; ty++) {
    for (let tx = 0; tx < nx; tx++) {
      if (opts.only && !opts.only(ty * nx + tx)) continue;
      const x0 = tx * tw;
      const y0 = ty * th;
      const x1 = Math.min(width, x0 + tw);
      const y1 = Math.min(height, y0 + th);
      const ix0 = Math.max(0, x0 - m);
      const iy0 = Math.max(0, y0 - m);
      const iw = Math.min(width, x1 + m) - ix0;
      const ih = Math.min(height, y1 + m) - iy0;
      // The bicubic shortcut of the tile's window, from BIC_MARGIN more LR context, with the
      // whole image's weights: equal to the whole-image bicubic bit for bit (even where the
      // network reads it, as VDSR-BNN does).
      const bx0 = Math.max(0, ix0 - BIC_MARGIN);
      const by0 = Math.max(0, iy0 - BIC_MARGIN);
      const bw = Math.min(width, ix0 + iw + BIC_MARGIN) - bx0;
      const bh = Math.min(height, iy0 + ih + BIC_MARGIN) - by0;
      const wide = lrCrop(bx0, by0, bw, bh);
      const bic = bicubicUpWindow(
        wide,
        { wx: bx0, wy: by0, fullWidth: width, fullHeight: height },
        r,
        { ox: ix0 * r, oy: iy0 * r, ow: iw * r, oh: ih * r },
        scratch,
      );
      const lrT = toTensor(crop(wide, ix0 - bx0, iy0 - by0, iw, ih));
      const bicT = toTensor(bic);
      const y = tf.tidy(() => net.forward(lrT, bicT, INFERENCE_CTX));
      tf.dispose([lrT, bicT]);
      const data = await readOutput(y);
      // Keep the centre: rows (y0−iy0)·r .. (y1−iy0)·r, cols likewise, as a window of `data`
      // (read before y is disposed: on WASM it is y's memory).
      const W = iw * r;
      try {
        sink({
          x: x0 * r,
          y: y0 * r,
          width: (x1 - x0) * r,
          height: (y1 - y0) * r,
          data,
          stride: W * 3,
          offset: ((y0 - iy0) * r * W + (x0 - ix0) * r) * 3,
        });
      } finally {
        y.dispose();
      }
      opts.onTile?.(++done, total);
      await opts.yieldEachTile?.();
    }
  }
}

/** SR of a float RGB image in [0,1] (unclamped result), tiled as upscaleTiles. */
export async function upscaleFloat(
  net: SRNetwork,
  lr: FloatImage,
  opts: UpscaleOptions = {},
): Promise<FloatImage> {
  if (lr.channels !== 3) throw new Error('upscaleFloat: expects an RGB image');
  const r = net.config.scale;
  checkOutputSize(lr.width, lr.height, r);
  const out = createFloatImage(lr.width * r, lr.height * r, 3);
  await upscaleTiles(
    net,
    lr.width,
    lr.height,
    (x, y, w, h) => crop(lr, x, y, w, h),
    (t) => {
      for (let row = 0; row < t.height; row++) {
        const from = tileRow(t, row);
        out.data.set(
          t.data.subarray(from, from + t.width * 3),
          ((t.y + row) * out.width + t.x) * 3,
        );
      }
    },
    opts,
  );
  return out;
}

/**
 * Upscale an 8-bit image (what files hold): RGB through the network, output clamped to [0,255]
 * and rounded (docs/model-format.md §5). Grayscale comes back grayscale (mean of the RGB
 * output), alpha is upscaled bicubically. Streams: each tile is converted from 8 bits on the way
 * in and rounded into the 8-bit result on the way out, so no full-size float image exists.
 */
export async function upscaleImage(
  net: SRNetwork,
  img: Image,
  opts: UpscaleOptions = {},
): Promise<Image> {
  const r = net.config.scale;
  checkOutputSize(img.width, img.height, r);
  const out = createImage(img.width * r, img.height * r, img.channels);
  await upscaleTiles(net, img.width, img.height, lrCropOf(img), (t) => writeTile(out, t), opts);
  finishAlpha(img, out, r);
  return out;
}

/** The float RGB LR window of an 8-bit image, converted on demand (upscaleTiles' `lrCrop`). */
export const lrCropOf =
  (img: Image) =>
  (x: number, y: number, w: number, h: number): FloatImage =>
    toFloat(toRgb(crop(img, x, y, w, h)));

/**
 * Round one SR tile into the 8-bit result (docs/model-format.md §5): clamp and round each sample;
 * a grey result takes the mean of the three outputs; alpha is left to finishAlpha.
 */
export function writeTile(out: Image, t: SrTile): void {
  const c = out.channels;
  const d = t.data;
  const od = out.data;
  for (let row = 0; row < t.height; row++) {
    let i = tileRow(t, row);
    let o = ((t.y + row) * out.width + t.x) * c;
    const end = i + t.width * 3;
    // One loop per layout, offsets stepped (this loop rounds every output sample: 16.7 M of
    // them for a 1024² photo at ×4).
    if (c === 1)
      for (; i < end; i += 3, o++) od[o] = toUint8(((d[i] + d[i + 1] + d[i + 2]) / 3) * 255);
    else
      for (; i < end; i += 3, o += c) {
        od[o] = toUint8(d[i] * 255);
        od[o + 1] = toUint8(d[i + 1] * 255);
        od[o + 2] = toUint8(d[i + 2] * 255);
      }
  }
}

/** RGBA: the alpha channel enlarged with the 8-bit MATLAB bicubic (colour came from the network). */
export function finishAlpha(img: Image, out: Image, r: number): void {
  if (img.channels !== 4) return;
  const alpha = createImage(img.width, img.height, 1);
  for (let i = 0; i < img.width * img.height; i++) alpha.data[i] = img.data[4 * i + 3];
  const a = resizeBicubic(alpha, { direction: 'up', factor: r });
  for (let i = 0; i < out.width * out.height; i++) out.data[4 * i + 3] = a.data[i];
}
