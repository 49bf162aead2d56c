import { PatchSampler, prepareImage, type PreparedImage } from '../data/patches';
import type { Image } from '../image/image';
import { Rng } from '../rng';

export interface TrainData {
  sampler: PatchSampler;
  /** Held-out whole images for validation PSNR (model selection never touches test sets). */
  val: PreparedImage[];
  trainNames: string[];
  valNames: string[];
  /** Images too small for the patch (dropped from training; still usable for validation). */
  skipped: string[];
}

/**
 * Indices of the `valImages` images (of `count`) that training with `seed` holds out: a seeded
 * shuffle. `srbnas search --hold-out` leaves out the same ones, so a searched cell can be
 * scored on images its search never saw.
 */
export function heldOutIndices(count: number, valImages: number, seed: number): Set<number> {
  const order = Array.from({ length: count }, (_, i) => i);
  const rng = new Rng(seed ^ 0x7a11);
  for (let i = order.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  return new Set(order.slice(0, valImages));
}

/**
 * Split decoded training images into a training pool and `valImages` held-out images (seeded
 * shuffle), prepare them once (HR modcrop, MATLAB-bicubic LR, float bicubic upscale) and build
 * the seeded patch sampler (random aligned crops with flips/rotations).
 */
export function trainDataFromImages(
  images: { name: string; image: Image }[],
  opts: { scale: number; patch: number; batch: number; seed: number; valImages: number },
): TrainData {
  const { scale, patch, valImages } = opts;
  if (valImages < 0 || valImages >= images.length)
    throw new Error(`--val-images must be in 0..${images.length - 1}, got ${valImages}`);
  const valIdx = heldOutIndices(images.length, valImages, opts.seed);
  const train: PreparedImage[] = [];
  const val: PreparedImage[] = [];
  const skipped: string[] = [];
  images.forEach(({ name, image }, i) => {
    if (valIdx.has(i)) {
      val.push(prepareImage(image, scale, name));
      return;
    }
    if (Math.floor(image.width / scale) < patch || Math.floor(image.height / scale) < patch) {
      skipped.push(name);
      return;
    }
    train.push(prepareImage(image, scale, name));
  });
  if (train.length === 0) throw new Error(`no training image is large enough for patch ${patch}`);
  return {
    sampler: new PatchSampler(train, {
      scale,
      patch,
      batch: opts.batch,
      seed: new Rng(opts.seed ^ 0x5eed).int(2 ** 31),
    }),
    val,
    trainNames: train.map((t) => t.name),
    valNames: val.map((v) => v.name),
    skipped,
  };
}
