import * as tf from '@tensorflow/tfjs';
import { createImage, type Image } from '../image/image';
import { Rng } from '../rng';
import type { Genotype } from '../search/types';
import type { ArchConfig } from './config';
import type { SRNetwork } from './network';

/** A smooth-ish seeded RGB test image (gradients + blobs + noise), so SR has something to learn. */
export function syntheticImage(width: number, height: number, seed: number): Image {
  const rng = new Rng(seed);
  const img = createImage(width, height, 3);
  const f = [0, 1, 2].map(() => ({ a: rng.next() * 0.3, b: rng.next() * 0.3, p: rng.next() * 6 }));
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++)
      for (let c = 0; c < 3; c++) {
        const { a, b, p } = f[c];
        const v = 128 + 90 * Math.sin(a * x + b * y + p) + 20 * (rng.next() - 0.5);
        img.data[(y * width + x) * 3 + c] = Math.max(0, Math.min(255, Math.round(v)));
      }
  return img;
}

/** A genotype using every op kind once or more (and both kinds of input). */
export const MIXED_GENOTYPE: Genotype = {
  normal: [
    ['bin_conv_3x3', 1],
    ['skip_connect', 0],
    ['bin_dil_conv_3x3', 2],
    ['bin_conv_5x5', 0],
    ['bin_conv_7x7', 3],
    ['skip_connect', 1],
    ['bin_dil_conv_5x5', 4],
    ['bin_conv_3x3', 2],
  ],
  normal_concat: [2, 3, 4, 5],
};

/** Tiny instances of every architecture (fast enough for unit tests). */
export function tinyConfigs(scale: 2 | 3 | 4 = 2): ArchConfig[] {
  return [
    { arch: 'srbnas', scale, genotype: MIXED_GENOTYPE, cells: 2, channels: 8, groups: 2 },
    { arch: 'espcn', scale, widths: [6, 4] },
    { arch: 'srresnet-bnn', scale, blocks: 2, channels: 8, groups: 2 },
    { arch: 'vdsr-bnn', scale, layers: 3, channels: 8, groups: 2 },
  ];
}

/**
 * Overwrite every variable with seeded N(0, std²) values: an untrained network starts as
 * bicubic (zero tail), which would hide most of the graph from tests of its outputs.
 */
export function randomizeWeights(net: SRNetwork, seed: number, std = 0.3): void {
  const rng = new Rng(seed);
  for (const v of net.params.list()) {
    const data = new Float32Array(v.size);
    for (let i = 0; i < data.length; i++) data[i] = rng.normal() * std;
    tf.tidy(() => v.assign(tf.tensor(data, v.shape)));
  }
}
