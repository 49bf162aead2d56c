import type { Channels, FloatImage, Image } from './image';
import { createFloatImage, createImage, toUint8 } from './image';

/**
 * MATLAB-compatible bicubic resize (imresize, 'bicubic', antialiasing on), the convention that
 * produced the LR images of Set5/Set14/BSD100 (datasets/MANIFEST.md, docs/design.md §3):
 *
 * - Keys cubic kernel with a = -0.5; when shrinking by r it is widened to h(x) = cubic(x/r)/r
 *   (support 4r input pixels) so it also low-pass filters (antialiasing);
 * - output pixel u (1-based) is centred at input coordinate x = u*r + 0.5*(1 - r) when shrinking
 *   by r, and x = u/r + 0.5*(1 - 1/r) when enlarging by r (pixel-area alignment);
 * - each output pixel uses taps floor(x - width/2) + (0 .. ceil(width)+1), weights normalised to
 *   sum 1, out-of-range taps clamped to the edge (replicate);
 * - height is resized first, then width. The uint8 path rounds to uint8 (half away from zero)
 *   after EACH pass; with float intermediate or width first, 10-18 % of LR pixels differ.
 */

/** Keys cubic convolution kernel, a = -0.5 (same expression order as MATLAB's `cubic`). */
export function cubic(x: number): number {
  const ax = Math.abs(x);
  const ax2 = ax * ax;
  const ax3 = ax2 * ax;
  if (ax <= 1) return 1.5 * ax3 - 2.5 * ax2 + 1;
  if (ax <= 2) return -0.5 * ax3 + 2.5 * ax2 - 4 * ax + 2;
  return 0;
}

/** Shrink by an integer-or-real factor r >= 1 ('down'), or enlarge by r ('up'). */
export type ResizeDirection = 'down' | 'up';

/**
 * Per-axis interpolation weights: output i (0-based) = sum_t weights[i*taps+t] * in[index[i*taps+t]].
 * Indices are already clamped to [0, inLen).
 */
export interface AxisWeights {
  inLen: number;
  outLen: number;
  taps: number;
  index: Int32Array;
  weights: Float64Array;
}

/** Output length for a resize by factor r (MATLAB: ceil(in * scale)). */
export function resizedLength(inLen: number, r: number, dir: ResizeDirection): number {
  // Integer factors (the usual case) are computed exactly, avoiding 1/3-style rounding.
  if (dir === 'up') return Math.ceil(inLen * r);
  return Number.isInteger(inLen / r) ? inLen / r : Math.ceil(inLen / r);
}

export function axisWeights(
  inLen: number,
  outLen: number,
  r: number,
  dir: ResizeDirection,
  antialias = true,
): AxisWeights {
  if (!(r > 0) || !Number.isFinite(r)) throw new Error(`bad resize factor ${r}`);
  const shrink = dir === 'down' && r > 1;
  const widen = shrink && antialias;
  const kernelWidth = widen ? 4 * r : 4;
  const taps = Math.ceil(kernelWidth) + 2;
  const index = new Int32Array(outLen * taps);
  const weights = new Float64Array(outLen * taps);
  const w = new Float64Array(taps);
  for (let i = 0; i < outLen; i++) {
    const u = i + 1; // MATLAB's 1-based output coordinate
    // Centre in 1-based input coordinates. 'down' by r: u*r + 0.5(1-r); 'up' by r: u/r + 0.5(1-1/r).
    const x = dir === 'down' ? u * r + 0.5 * (1 - r) : u / r + 0.5 * (1 - 1 / r);
    const left = Math.floor(x - kernelWidth / 2);
    let sum = 0;
    for (let t = 0; t < taps; t++) {
      const d = x - (left + t);
      w[t] = widen ? cubic(d / r) / r : cubic(d);
      sum += w[t];
    }
    for (let t = 0; t < taps; t++) {
      const j = left + t - 1; // back to 0-based
      index[i * taps + t] = j < 0 ? 0 : j >= inLen ? inLen - 1 : j;
      weights[i * taps + t] = w[t] / sum;
    }
  }
  return { inLen, outLen, taps, index, weights };
}

type Sink = (v: number) => number;

/**
 * Resize along one axis of an interleaved image. `alongHeight` picks the axis; `sink` maps the
 * float64 accumulator to the stored value (rounding to uint8, or identity for floats).
 */
function resizeAxis<A extends Uint8Array | Float32Array>(
  src: A,
  width: number,
  height: number,
  channels: number,
  aw: AxisWeights,
  alongHeight: boolean,
  out: A,
  sink: Sink,
): void {
  const { taps, index, weights, outLen } = aw;
  if (alongHeight) {
    const rowLen = width * channels;
    for (let i = 0; i < outLen; i++) {
      const o = i * rowLen;
      for (let k = 0; k < rowLen; k++) {
        let acc = 0;
        for (let t = 0; t < taps; t++) {
          acc += weights[i * taps + t] * src[index[i * taps + t] * rowLen + k];
        }
        out[o + k] = sink(acc);
      }
    }
  } else {
    for (let y = 0; y < height; y++) {
      const rowIn = y * width * channels;
      const rowOut = y * outLen * channels;
      for (let i = 0; i < outLen; i++) {
        for (let c = 0; c < channels; c++) {
          let acc = 0;
          for (let t = 0; t < taps; t++) {
            acc += weights[i * taps + t] * src[rowIn + index[i * taps + t] * channels + c];
          }
          out[rowOut + i * channels + c] = sink(acc);
        }
      }
    }
  }
}

export interface ResizeOptions {
  /** 'down' shrinks by `factor`, 'up' enlarges by it. */
  direction: ResizeDirection;
  factor: number;
  /** Output size; default MATLAB's ceil(size * scale). */
  outWidth?: number;
  outHeight?: number;
  /** Widen the kernel when shrinking (MATLAB default true). */
  antialias?: boolean;
}

function plan(width: number, height: number, o: ResizeOptions): { h: AxisWeights; w: AxisWeights } {
  const outH = o.outHeight ?? resizedLength(height, o.factor, o.direction);
  const outW = o.outWidth ?? resizedLength(width, o.factor, o.direction);
  if (outH < 1 || outW < 1) {
    throw new Error(`resizing ${width}x${height} by ${o.factor} gives an empty image`);
  }
  return {
    h: axisWeights(height, outH, o.factor, o.direction, o.antialias ?? true),
    w: axisWeights(width, outW, o.factor, o.direction, o.antialias ?? true),
  };
}

/** Bicubic resize of an 8-bit image, rounding to uint8 after each pass (bit-exact to MATLAB). */
export function resizeBicubic(img: Image, opts: ResizeOptions): Image {
  const { h, w } = plan(img.width, img.height, opts);
  const c = img.channels;
  const mid = createImage(img.width, h.outLen, c as Channels);
  resizeAxis(img.data, img.width, img.height, c, h, true, mid.data, toUint8);
  const out = createImage(w.outLen, h.outLen, c as Channels);
  resizeAxis(mid.data, img.width, h.outLen, c, w, false, out.data, toUint8);
  return out;
}

/** Bicubic resize of a float image without any rounding or clamping (for model inputs/outputs). */
export function resizeBicubicFloat(img: FloatImage, opts: ResizeOptions): FloatImage {
  const { h, w } = plan(img.width, img.height, opts);
  const c = img.channels;
  const id = (v: number) => v;
  const mid = createFloatImage(img.width, h.outLen, c);
  resizeAxis(img.data, img.width, img.height, c, h, true, mid.data, id);
  const out = createFloatImage(w.outLen, h.outLen, c);
  resizeAxis(mid.data, img.width, h.outLen, c, w, false, out.data, id);
  return out;
}

/** `aw` restricted to outputs [o0, o0 + n), its indices shifted by −i0 and clamped to [0, len). */
function axisWindow(aw: AxisWeights, o0: number, n: number, i0: number, len: number): AxisWeights {
  const { taps } = aw;
  const index = new Int32Array(n * taps);
  for (let k = 0; k < n * taps; k++) {
    const j = aw.index[o0 * taps + k] - i0;
    index[k] = j < 0 ? 0 : j >= len ? len - 1 : j;
  }
  const weights = aw.weights.slice(o0 * taps, (o0 + n) * taps);
  return { inLen: len, outLen: n, taps, index, weights };
}

/**
 * A window of resizeBicubicFloat(full, up by r), computed from a window of `full` only: HR
 * columns [ox, ox + ow) and rows [oy, oy + oh), given `win` = full's LR pixels starting at
 * (wx, wy), which must hold every pixel those outputs weigh (2 beyond the window's own LR
 * pixels). The weights are the whole image's (same positions, same rounding) and the order of
 * the sums is the same, so the window equals the whole-image result bit for bit — what tiled
 * inference needs for its image-level shortcut.
 */
export function bicubicUpWindow(
  win: FloatImage,
  at: { wx: number; wy: number; fullWidth: number; fullHeight: number },
  r: number,
  out: { ox: number; oy: number; ow: number; oh: number },
): FloatImage {
  const c = win.channels;
  const hAll = axisWeights(at.fullHeight, at.fullHeight * r, r, 'up');
  const wAll = axisWeights(at.fullWidth, at.fullWidth * r, r, 'up');
  const h = axisWindow(hAll, out.oy, out.oh, at.wy, win.height);
  const w = axisWindow(wAll, out.ox, out.ow, at.wx, win.width);
  const mid = createFloatImage(win.width, out.oh, c);
  resizeAxis(win.data, win.width, win.height, c, h, true, mid.data, (v) => v);
  const res = createFloatImage(out.ow, out.oh, c);
  resizeAxis(mid.data, win.width, out.oh, c, w, false, res.data, (v) => v);
  return res;
}

/** Shrink an 8-bit image by integer factor r exactly as the datasets' LR images were made. */
export function downscaleBicubic(img: Image, r: number): Image {
  return resizeBicubic(img, { direction: 'down', factor: r });
}

/** Enlarge an 8-bit image by factor r (MATLAB imresize(img, r, 'bicubic') on uint8). */
export function upscaleBicubic(img: Image, r: number): Image {
  return resizeBicubic(img, { direction: 'up', factor: r });
}
