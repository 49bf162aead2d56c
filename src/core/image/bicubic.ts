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
 * `aw` without its zero-weight taps (enlarging, 2 of the 6 taps weigh exactly 0): per output i,
 * n[i] taps from i·taps on, in their original order. Dropping a term w·v = ±0 leaves the float64
 * sum unchanged (acc + ±0 = acc for every acc the loops can reach: they start at +0 and only
 * add), so the result is bit for bit the 6-tap one, for finite inputs, in a third less time.
 */
function nonzeroTaps(aw: AxisWeights): { n: Int32Array; index: Int32Array; weights: Float64Array } {
  const { taps, outLen } = aw;
  const n = new Int32Array(outLen);
  const index = new Int32Array(outLen * taps);
  const weights = new Float64Array(outLen * taps);
  for (let i = 0; i < outLen; i++) {
    let m = 0;
    for (let t = 0; t < taps; t++) {
      const wt = aw.weights[i * taps + t];
      if (wt === 0) continue;
      index[i * taps + m] = aw.index[i * taps + t];
      weights[i * taps + m] = wt;
      m++;
    }
    n[i] = m;
  }
  return { n, index, weights };
}

/**
 * Resize along one axis of an interleaved image. `alongHeight` picks the axis; `sink` maps the
 * float64 accumulator to the stored value (rounding to uint8, or identity for floats; null =
 * identity, stored as is). Every output is Σ_t w_t·v_t accumulated from 0 in tap order, skipping
 * zero weights (nonzeroTaps): loop shapes differ by case only for speed.
 */
function resizeAxis<A extends Uint8Array | Float32Array>(
  src: A,
  width: number,
  height: number,
  channels: number,
  aw: AxisWeights,
  alongHeight: boolean,
  out: A,
  sink: Sink | null,
): void {
  const nz = nonzeroTaps(aw);
  // Separate functions per loop shape: each gets its own optimised code (one function holding
  // all the loops ran the enlarging case 3× slower in V8).
  if (alongHeight) resizeRows(src, width * channels, aw.outLen, aw.taps, nz, out, sink);
  else if (channels === 3) resizeCols3(src, width, height, aw.outLen, aw.taps, nz, out, sink);
  else resizeCols(src, width, height, channels, aw.outLen, aw.taps, nz, out, sink);
}

type Taps = ReturnType<typeof nonzeroTaps>;

/** Along the height: output row i from whole source rows. */
function resizeRows(
  src: ArrayLike<number>,
  rowLen: number,
  outLen: number,
  taps: number,
  { n, index, weights }: Taps,
  out: { [k: number]: number },
  sink: Sink | null,
): void {
  for (let i = 0; i < outLen; i++) {
    const o = i * rowLen;
    const b = i * taps;
    const m = n[i];
    if (m === 4 && sink === null) {
      // Enlarging: 4 source rows per output row, their offsets and weights hoisted.
      const r0 = index[b] * rowLen;
      const r1 = index[b + 1] * rowLen;
      const r2 = index[b + 2] * rowLen;
      const r3 = index[b + 3] * rowLen;
      const w0 = weights[b];
      const w1 = weights[b + 1];
      const w2 = weights[b + 2];
      const w3 = weights[b + 3];
      for (let k = 0; k < rowLen; k++) {
        let acc = 0;
        acc += w0 * src[r0 + k];
        acc += w1 * src[r1 + k];
        acc += w2 * src[r2 + k];
        acc += w3 * src[r3 + k];
        out[o + k] = acc;
      }
      continue;
    }
    for (let k = 0; k < rowLen; k++) {
      let acc = 0;
      for (let t = 0; t < m; t++) acc += weights[b + t] * src[index[b + t] * rowLen + k];
      out[o + k] = sink === null ? acc : sink(acc);
    }
  }
}

/** Along the width, 3 interleaved channels. */
function resizeCols3(
  src: ArrayLike<number>,
  width: number,
  height: number,
  outLen: number,
  taps: number,
  { n, index, weights }: Taps,
  out: { [k: number]: number },
  sink: Sink | null,
): void {
  for (let y = 0; y < height; y++) {
    const rowIn = y * width * 3;
    let po = y * outLen * 3;
    for (let i = 0; i < outLen; i++) {
      const b = i * taps;
      const m = n[i];
      let a0 = 0;
      let a1 = 0;
      let a2 = 0;
      for (let t = 0; t < m; t++) {
        const wt = weights[b + t];
        const p = rowIn + index[b + t] * 3;
        a0 += wt * src[p];
        a1 += wt * src[p + 1];
        a2 += wt * src[p + 2];
      }
      if (sink === null) {
        out[po] = a0;
        out[po + 1] = a1;
        out[po + 2] = a2;
      } else {
        out[po] = sink(a0);
        out[po + 1] = sink(a1);
        out[po + 2] = sink(a2);
      }
      po += 3;
    }
  }
}

/** Along the width, any number of interleaved channels. */
function resizeCols(
  src: ArrayLike<number>,
  width: number,
  height: number,
  channels: number,
  outLen: number,
  taps: number,
  { n, index, weights }: Taps,
  out: { [k: number]: number },
  sink: Sink | null,
): void {
  for (let y = 0; y < height; y++) {
    const rowIn = y * width * channels;
    const rowOut = y * outLen * channels;
    for (let i = 0; i < outLen; i++) {
      const b = i * taps;
      const m = n[i];
      for (let c = 0; c < channels; c++) {
        let acc = 0;
        for (let t = 0; t < m; t++)
          acc += weights[b + t] * src[rowIn + index[b + t] * channels + c];
        out[rowOut + i * channels + c] = sink === null ? acc : sink(acc);
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
  const mid = createFloatImage(img.width, h.outLen, c);
  resizeAxis(img.data, img.width, img.height, c, h, true, mid.data, null);
  const out = createFloatImage(w.outLen, h.outLen, c);
  resizeAxis(mid.data, img.width, h.outLen, c, w, false, out.data, null);
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
 * Buffers and weights bicubicUpWindow may keep between calls (one per tiled upscale): the
 * whole-image axis weights, and the intermediate and result arrays, grown when needed.
 * Results returned with a scratch are views into it, valid until the next call.
 */
export interface BicubicScratch {
  weights?: Map<string, AxisWeights>;
  mid?: Float32Array;
  res?: Float32Array;
}

function scratchArray(s: BicubicScratch | undefined, key: 'mid' | 'res', n: number): Float32Array {
  if (!s) return new Float32Array(n);
  if (!s[key] || s[key].length < n) s[key] = new Float32Array(n);
  return s[key].subarray(0, n);
}

function upWeights(s: BicubicScratch | undefined, len: number, r: number): AxisWeights {
  if (!s) return axisWeights(len, len * r, r, 'up');
  s.weights ??= new Map();
  const key = `${len}x${r}`;
  let aw = s.weights.get(key);
  if (!aw) s.weights.set(key, (aw = axisWeights(len, len * r, r, 'up')));
  return aw;
}

/**
 * A window of resizeBicubicFloat(full, up by r), computed from a window of `full` only: HR
 * columns [ox, ox + ow) and rows [oy, oy + oh), given `win` = full's LR pixels starting at
 * (wx, wy), which must hold every pixel those outputs weigh (2 beyond the window's own LR
 * pixels). The weights are the whole image's (same positions, same rounding) and the order of
 * the sums is the same, so the window equals the whole-image result bit for bit — what tiled
 * inference needs for its image-level shortcut. With `scratch`, the weights and buffers are
 * reused from the previous call and the result is a view into them (see BicubicScratch).
 */
export function bicubicUpWindow(
  win: FloatImage,
  at: { wx: number; wy: number; fullWidth: number; fullHeight: number },
  r: number,
  out: { ox: number; oy: number; ow: number; oh: number },
  scratch?: BicubicScratch,
): FloatImage {
  const c = win.channels;
  const hAll = upWeights(scratch, at.fullHeight, r);
  const wAll = upWeights(scratch, at.fullWidth, r);
  const h = axisWindow(hAll, out.oy, out.oh, at.wy, win.height);
  const w = axisWindow(wAll, out.ox, out.ow, at.wx, win.width);
  const mid = scratchArray(scratch, 'mid', win.width * out.oh * c);
  resizeAxis(win.data, win.width, win.height, c, h, true, mid, null);
  const res = scratchArray(scratch, 'res', out.ow * out.oh * c);
  resizeAxis(mid, win.width, out.oh, c, w, false, res, null);
  return { width: out.ow, height: out.oh, channels: c, data: res };
}

/** Shrink an 8-bit image by integer factor r exactly as the datasets' LR images were made. */
export function downscaleBicubic(img: Image, r: number): Image {
  return resizeBicubic(img, { direction: 'down', factor: r });
}

/** Enlarge an 8-bit image by factor r (MATLAB imresize(img, r, 'bicubic') on uint8). */
export function upscaleBicubic(img: Image, r: number): Image {
  return resizeBicubic(img, { direction: 'up', factor: r });
}
