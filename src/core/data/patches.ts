import { Rng } from '../rng';
import { downscaleBicubic, resizeBicubicFloat } from '../image/bicubic';
import { modcrop, toFloat, toRgb, type FloatImage, type Image } from '../image/image';

/**
 * Training patches for the search (and training) loops: aligned (LR, HR, bicubic-upsampled LR)
 * crops with random flips/rotations, all seeded.
 *
 * Per image, once: HR = modcrop(RGB image, r); LR = MATLAB bicubic downscale of HR, rounded to
 * uint8 like the benchmark LR files (docs/design.md §3); BIC = float bicubic upscale of LR to the
 * HR size (the image-level shortcut of the supernet, precomputed here rather than per step).
 * Pixel values are in [0, 1].
 */
export interface PreparedImage {
  name: string;
  hr: Image;
  lr: Image;
  bic: FloatImage;
}

export function prepareImage(img: Image, scale: number, name = ''): PreparedImage {
  const hr = modcrop(toRgb(img), scale);
  const lr = downscaleBicubic(hr, scale);
  const bic = resizeBicubicFloat(toFloat(lr), {
    direction: 'up',
    factor: scale,
    outWidth: hr.width,
    outHeight: hr.height,
  });
  return { name, hr, lr, bic };
}

/** A batch in NHWC order: lr [B, p, p, 3], hr and bic [B, p·r, p·r, 3]. */
export interface PatchBatch {
  batch: number;
  patch: number;
  scale: number;
  lr: Float32Array;
  hr: Float32Array;
  bic: Float32Array;
}

/**
 * Copy an s×s×3 window at (x0, y0) of `src` (row width w) into `dst` at `offset`, under one of
 * the 8 dihedral transforms t: bit 0 flips left-right, bit 1 flips up-down, bit 2 transposes.
 * The same t on the LR, HR and BIC windows keeps them aligned.
 */
function copyWindow(
  src: ArrayLike<number>,
  w: number,
  x0: number,
  y0: number,
  s: number,
  t: number,
  mul: number,
  dst: Float32Array,
  offset: number,
): void {
  for (let y = 0; y < s; y++) {
    for (let x = 0; x < s; x++) {
      let u = t & 4 ? y : x;
      let v = t & 4 ? x : y;
      if (t & 1) u = s - 1 - u;
      if (t & 2) v = s - 1 - v;
      const from = ((y0 + v) * w + (x0 + u)) * 3;
      const to = offset + (y * s + x) * 3;
      dst[to] = src[from] * mul;
      dst[to + 1] = src[from + 1] * mul;
      dst[to + 2] = src[from + 2] * mul;
    }
  }
}

export interface SamplerOptions {
  scale: number;
  /** LR patch size. */
  patch: number;
  batch: number;
  seed: number;
  /** Random flips/rotations (default true). */
  augment?: boolean;
}

/** Seeded, endless stream of batches from a fixed image list (uniform over images). */
export class PatchSampler {
  private rng: Rng;
  private count = 0;
  constructor(
    readonly images: PreparedImage[],
    readonly opts: SamplerOptions,
  ) {
    if (images.length === 0) throw new Error('PatchSampler: no images');
    for (const im of images)
      if (im.lr.width < opts.patch || im.lr.height < opts.patch)
        throw new Error(
          `image '${im.name}' (LR ${im.lr.width}x${im.lr.height}) is smaller than the patch ${opts.patch}`,
        );
    this.rng = new Rng(opts.seed);
  }

  next(): PatchBatch {
    const { scale: r, patch: p, batch: b } = this.opts;
    const P = p * r;
    const lr = new Float32Array(b * p * p * 3);
    const hr = new Float32Array(b * P * P * 3);
    const bic = new Float32Array(b * P * P * 3);
    for (let i = 0; i < b; i++) {
      const im = this.images[this.rng.int(this.images.length)];
      const x = this.rng.int(im.lr.width - p + 1);
      const y = this.rng.int(im.lr.height - p + 1);
      const t = this.opts.augment === false ? 0 : this.rng.int(8);
      copyWindow(im.lr.data, im.lr.width, x, y, p, t, 1 / 255, lr, i * p * p * 3);
      copyWindow(im.hr.data, im.hr.width, x * r, y * r, P, t, 1 / 255, hr, i * P * P * 3);
      copyWindow(im.bic.data, im.bic.width, x * r, y * r, P, t, 1, bic, i * P * P * 3);
    }
    this.count++;
    return { batch: b, patch: p, scale: r, lr, hr, bic };
  }

  /** Batches drawn so far (a checkpoint stores this; `skip` replays the draws on resume). */
  get drawn(): number {
    return this.count;
  }

  /** Advance the stream by n batches without building them (same RNG draws as `next`). */
  skip(n: number): void {
    for (let k = 0; k < n; k++) {
      for (let i = 0; i < this.opts.batch; i++) {
        const im = this.images[this.rng.int(this.images.length)];
        this.rng.int(im.lr.width - this.opts.patch + 1);
        this.rng.int(im.lr.height - this.opts.patch + 1);
        if (this.opts.augment !== false) this.rng.int(8);
      }
      this.count++;
    }
  }
}

/** Seeded 50/50 split by image (w-train half first; the α-val half gets the extra image). */
export function splitByImage<T>(items: T[], seed: number): { train: T[]; val: T[] } {
  if (items.length < 2)
    throw new Error(`need at least 2 training images to split, got ${items.length}`);
  const idx = items.map((_, i) => i);
  const rng = new Rng(seed);
  for (let i = idx.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [idx[i], idx[j]] = [idx[j], idx[i]];
  }
  const half = Math.floor(items.length / 2);
  return {
    train: idx.slice(0, half).map((i) => items[i]),
    val: idx.slice(half).map((i) => items[i]),
  };
}

export interface SearchData {
  train: PatchSampler;
  val: PatchSampler;
  /** Images dropped because their LR is smaller than the patch. */
  skipped: string[];
}

/**
 * From decoded HR training images: prepare each once, drop those too small for the patch,
 * split 50/50 by image (seeded) and build the two samplers (w-train and α-val).
 */
export function searchDataFromImages(
  images: { name: string; image: Image }[],
  opts: SamplerOptions & { splitSeed?: number },
): SearchData {
  const prepared: PreparedImage[] = [];
  const skipped: string[] = [];
  for (const { name, image } of images) {
    if (
      Math.floor(image.width / opts.scale) < opts.patch ||
      Math.floor(image.height / opts.scale) < opts.patch
    ) {
      skipped.push(name);
      continue;
    }
    prepared.push(prepareImage(image, opts.scale, name));
  }
  const { train, val } = splitByImage(prepared, opts.splitSeed ?? opts.seed);
  const seeds = new Rng(opts.seed ^ 0x5eed);
  return {
    train: new PatchSampler(train, { ...opts, seed: seeds.int(2 ** 31) }),
    val: new PatchSampler(val, { ...opts, seed: seeds.int(2 ** 31) }),
    skipped,
  };
}

/** The data of a search with config `c` (its scale, patch, batch, seed and split seed). */
export function searchDataFor(
  images: { name: string; image: Image }[],
  c: { scale: number; patch: number; batch: number; seed: number; splitSeed?: number },
): SearchData {
  return searchDataFromImages(images, {
    scale: c.scale,
    patch: c.patch,
    batch: c.batch,
    seed: c.seed,
    splitSeed: c.splitSeed,
  });
}
