import { checkSameSize, type Plane } from './plane';

/** Normalised 1-D Gaussian; the 11x11 SSIM window is its outer product with itself. */
export function gaussian1d(size: number, sigma: number): Float64Array {
  const g = new Float64Array(size);
  const mid = (size - 1) / 2;
  let sum = 0;
  for (let i = 0; i < size; i++) {
    g[i] = Math.exp(-((i - mid) ** 2) / (2 * sigma * sigma));
    sum += g[i];
  }
  for (let i = 0; i < size; i++) g[i] /= sum;
  return g;
}

/**
 * 'valid' correlation with the separable window g (x) g: output (h-k+1) x (w-k+1).
 * The window is symmetric, so correlation equals convolution.
 */
function filterValid(src: Float64Array, w: number, h: number, g: Float64Array): Float64Array {
  const k = g.length;
  const ow = w - k + 1;
  const oh = h - k + 1;
  const tmp = new Float64Array(oh * w);
  for (let y = 0; y < oh; y++) {
    for (let x = 0; x < w; x++) {
      let acc = 0;
      for (let t = 0; t < k; t++) acc += g[t] * src[(y + t) * w + x];
      tmp[y * w + x] = acc;
    }
  }
  const out = new Float64Array(oh * ow);
  for (let y = 0; y < oh; y++) {
    for (let x = 0; x < ow; x++) {
      let acc = 0;
      for (let t = 0; t < k; t++) acc += g[t] * tmp[y * w + x + t];
      out[y * ow + x] = acc;
    }
  }
  return out;
}

export interface SsimOptions {
  /** Dynamic range L (255 for 8-bit samples). */
  peak?: number;
  windowSize?: number;
  sigma?: number;
  k1?: number;
  k2?: number;
}

/**
 * Mean SSIM (Wang et al. 2004) as the SR literature computes it (MATLAB ssim_index / BasicSR):
 * 11x11 Gaussian window, sigma 1.5, c1 = (0.01 L)^2, c2 = (0.03 L)^2, 'valid' filtering (no
 * padding), mean over the SSIM map. Planes must be at least windowSize on each side.
 */
export function ssim(a: Plane, b: Plane, opts: SsimOptions = {}): number {
  checkSameSize(a, b);
  const L = opts.peak ?? 255;
  const size = opts.windowSize ?? 11;
  const c1 = ((opts.k1 ?? 0.01) * L) ** 2;
  const c2 = ((opts.k2 ?? 0.03) * L) ** 2;
  const { width: w, height: h } = a;
  if (w < size || h < size) {
    throw new Error(`SSIM needs at least ${size}x${size} pixels, got ${w}x${h}`);
  }
  const g = gaussian1d(size, opts.sigma ?? 1.5);
  const n = w * h;
  const aa = new Float64Array(n);
  const bb = new Float64Array(n);
  const ab = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x = a.data[i];
    const y = b.data[i];
    aa[i] = x * x;
    bb[i] = y * y;
    ab[i] = x * y;
  }
  const mu1 = filterValid(a.data, w, h, g);
  const mu2 = filterValid(b.data, w, h, g);
  const e11 = filterValid(aa, w, h, g);
  const e22 = filterValid(bb, w, h, g);
  const e12 = filterValid(ab, w, h, g);
  let sum = 0;
  for (let i = 0; i < mu1.length; i++) {
    const m1 = mu1[i];
    const m2 = mu2[i];
    const s11 = e11[i] - m1 * m1;
    const s22 = e22[i] - m2 * m2;
    const s12 = e12[i] - m1 * m2;
    sum += ((2 * m1 * m2 + c1) * (2 * s12 + c2)) / ((m1 * m1 + m2 * m2 + c1) * (s11 + s22 + c2));
  }
  return sum / mu1.length;
}
