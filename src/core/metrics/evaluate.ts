import type { Image } from '../image/image';
import { lumaY } from '../image/color';
import { psnr } from './psnr';
import { ssim } from './ssim';
import { shave, type Plane } from './plane';

/**
 * Anything that turns an LR image into an SR image `scale` times larger (bicubic, a trained
 * BNN, ...). The evaluation only sees this callback, so new models plug in without touching it.
 */
export type Upscaler = (lr: Image, scale: number) => Promise<Image>;

export interface SrScore {
  psnr: number;
  ssim: number;
}

/**
 * Y-channel convention for metrics. We pin `roundY: false` (default): Y is computed from the
 * 8-bit RGB of HR and SR and kept as float, as BasicSR does. `true` rounds Y to integers first,
 * as MATLAB's rgb2ycbcr does on uint8 images. Measured on the bicubic baselines (SR = our uint8
 * bicubic upscale of the given LR PNGs, rounding after each pass), PSNR float-Y vs rounded-Y vs
 * the published value: Set5 x2 33.674/33.640/33.66, x3 30.405/30.386/30.39, x4 28.430/28.418/
 * 28.42; Set14 x3 27.539/27.533/27.55, x4 25.997/25.993/26.00; BSD100 x3 27.210/27.202/27.21,
 * x4 25.962/25.957/25.96. Both are within 0.02 dB; float Y is closer on 5 of 7 and is the
 * modern (BasicSR) convention. Published SSIMs fall between the two (float Y is ~+0.0005).
 * Grayscale images (Set14 'bridge') use the gray samples as Y; converting gray to Y with the
 * BT.601 formula would lift that image by 1.3 dB and Set14 means by ~0.1 dB.
 */
export interface MetricOptions {
  roundY?: boolean;
}

export function yPlane(img: Image, opts: MetricOptions = {}): Plane {
  return { width: img.width, height: img.height, data: lumaY(img, { round: opts.roundY }) };
}

/**
 * PSNR and SSIM of an SR result against its HR, the field's way (docs/design.md §3): on BT.601 Y
 * in [0,255], with `scale` pixels cropped from every border.
 */
export function srScore(hr: Image, sr: Image, scale: number, opts: MetricOptions = {}): SrScore {
  if (hr.width !== sr.width || hr.height !== sr.height) {
    throw new Error(
      `SR output is ${sr.width}x${sr.height} but HR is ${hr.width}x${hr.height} (x${scale})`,
    );
  }
  const a = shave(yPlane(hr, opts), scale);
  const b = shave(yPlane(sr, opts), scale);
  return { psnr: psnr(a, b), ssim: ssim(a, b) };
}

export interface PairSource {
  name: string;
  load: () => Promise<{ hr: Image; lr: Image }>;
}

export interface ImageScore extends SrScore {
  name: string;
}

export interface DatasetScore extends SrScore {
  /** Number of images; psnr/ssim are means over them (the field's convention). */
  count: number;
  images: ImageScore[];
}

/**
 * Run `upscaler` over HR/LR pairs and average PSNR/SSIM over images. `onImage` is called after
 * each image (for progress reporting).
 */
export async function evaluatePairs(
  upscaler: Upscaler,
  pairs: readonly PairSource[],
  scale: number,
  onImage?: (s: ImageScore, done: number) => void,
  opts: MetricOptions = {},
): Promise<DatasetScore> {
  const images: ImageScore[] = [];
  for (const p of pairs) {
    const { hr, lr } = await p.load();
    if (lr.width * scale !== hr.width || lr.height * scale !== hr.height) {
      throw new Error(
        `${p.name}: LR ${lr.width}x${lr.height} x${scale} does not give HR ${hr.width}x${hr.height}`,
      );
    }
    const sr = await upscaler(lr, scale);
    const s: ImageScore = { name: p.name, ...srScore(hr, sr, scale, opts) };
    images.push(s);
    onImage?.(s, images.length);
  }
  const mean = (f: (s: ImageScore) => number) =>
    images.reduce((acc, s) => acc + f(s), 0) / Math.max(1, images.length);
  return { count: images.length, psnr: mean((s) => s.psnr), ssim: mean((s) => s.ssim), images };
}
