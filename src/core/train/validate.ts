import type { PreparedImage } from '../data/patches';
import { upscaleImage } from '../model/infer';
import type { SRNetwork } from '../model/network';
import { srScore, type SrScore } from '../metrics/evaluate';
import { fromFloat } from '../image/image';

/**
 * Validation on whole held-out training images: PSNR/SSIM on Y with a border of `scale`
 * pixels (docs/design.md §3), averaged over images. Inference is tiled (default tile), so
 * large images fit in memory.
 */
export async function validate(
  net: SRNetwork,
  images: PreparedImage[],
  tile = 96,
): Promise<SrScore> {
  let psnr = 0;
  let ssim = 0;
  for (const im of images) {
    const sr = await upscaleImage(net, im.lr, { tile });
    const s = srScore(im.hr, sr, net.config.scale);
    psnr += s.psnr;
    ssim += s.ssim;
  }
  return { psnr: psnr / images.length, ssim: ssim / images.length };
}

/** The same score for plain bicubic (the floor a trained model must beat). */
export function validateBicubic(images: PreparedImage[], scale: number): SrScore {
  let psnr = 0;
  let ssim = 0;
  for (const im of images) {
    const s = srScore(im.hr, fromFloat(im.bic), scale);
    psnr += s.psnr;
    ssim += s.ssim;
  }
  return { psnr: psnr / images.length, ssim: ssim / images.length };
}
