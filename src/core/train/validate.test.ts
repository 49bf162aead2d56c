import { beforeAll, describe, expect, it } from 'vitest';
import { useWasm } from '../nn/testBackend';
import { prepareImage } from '../data/patches';
import { fromFloat } from '../image/image';
import { upscaleBicubic } from '../image/bicubic';
import { srScore } from '../metrics/evaluate';
import { upscaleImage } from '../model/infer';
import { buildNetwork } from '../model/network';
import { randomizeWeights, syntheticImage, tinyConfigs } from '../model/testUtil';
import { validate, validateBicubic } from './validate';

beforeAll(useWasm);

// Two held-out images of different sizes and content, so a wrong average shows.
const images = [
  prepareImage(syntheticImage(30, 24, 1), 2, 'a'),
  prepareImage(syntheticImage(22, 26, 2), 2, 'b'),
];

describe('validation scores', () => {
  it('validate = the mean over images of PSNR/SSIM of the network output against HR', async () => {
    const net = buildNetwork(tinyConfigs(2)[0], 4);
    randomizeWeights(net, 5, 0.05);
    const per = await Promise.all(
      images.map(async (im) => srScore(im.hr, await upscaleImage(net, im.lr), 2)),
    );
    expect(per[0].psnr).not.toBeCloseTo(per[1].psnr, 1);
    const got = await validate(net, images, 8);
    expect(got.psnr).toBeCloseTo((per[0].psnr + per[1].psnr) / 2, 6);
    expect(got.ssim).toBeCloseTo((per[0].ssim + per[1].ssim) / 2, 6);
    net.dispose();
  });

  it('validateBicubic = the same mean for the bicubic enlargement', () => {
    // The prepared float BIC (the network's image-level shortcut), rounded to 8 bits; within
    // 0.01 dB of the two-pass 8-bit enlargement.
    const per = images.map((im) => srScore(im.hr, fromFloat(im.bic), 2));
    const eightBit = srScore(images[0].hr, upscaleBicubic(images[0].lr, 2), 2);
    expect(per[0].psnr).toBeCloseTo(eightBit.psnr, 2);
    const got = validateBicubic(images, 2);
    expect(got.psnr).toBeCloseTo((per[0].psnr + per[1].psnr) / 2, 10);
    expect(got.ssim).toBeCloseTo((per[0].ssim + per[1].ssim) / 2, 10);
  });
});
