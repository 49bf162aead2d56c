import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useWasm } from '../../core/nn/testBackend';
import { Rng } from '../../core/rng';
import { createImage, type Image } from '../../core/image/image';
import { searchDataFromImages } from '../../core/data/patches';
import { Search } from '../../core/search/search';
import {
  DEFAULT_SEARCH_CONFIG,
  type SearchConfig,
  type SearchSnapshot,
} from '../../core/search/types';
import { ParallelSearch } from '../../core/parallel/parallelSearch';
import { createParallelSearch } from './parallelSearchNode';

beforeAll(useWasm);

function texture(w: number, h: number, seed: number): Image {
  const img = createImage(w, h, 3);
  const rng = new Rng(seed);
  const f = 0.2 + rng.next() * 0.5;
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++)
      for (let c = 0; c < 3; c++)
        img.data[(y * w + x) * 3 + c] = Math.min(
          255,
          Math.floor(120 + 80 * Math.sin(f * x + c) * Math.cos(f * 0.7 * y) + rng.int(40)),
        );
  return img;
}
const IMAGES = Array.from({ length: 4 }, (_, i) => ({
  name: `t${i}`,
  image: texture(48, 40, i + 1),
}));

// 5 steps: a warm-up step (w only), then four with α/β steps; batch 3 splits unevenly (2 + 1).
const TINY: SearchConfig = {
  ...DEFAULT_SEARCH_CONFIG,
  scale: 2,
  channels: 8,
  k: 2,
  groups: 2,
  cells: 1,
  batch: 3,
  patch: 8,
  epochs: 5,
  stepsPerEpoch: 1,
  warmupEpochs: 1,
  regEpochs: 5,
  seed: 5,
};
const STEPS = 5;
const data = (c: SearchConfig) =>
  searchDataFromImages(IMAGES, { scale: c.scale, patch: c.patch, batch: c.batch, seed: c.seed });
const stable = (s: SearchSnapshot) => ({ ...s, stepMs: 0, numTensors: 0 });

let reference: SearchSnapshot[] = [];
const opened: ParallelSearch[] = [];
afterAll(async () => {
  for (const p of opened) await p.dispose();
});

describe('data-parallel search', () => {
  beforeAll(async () => {
    const s = new Search(TINY, data(TINY));
    for (let i = 0; i < STEPS; i++) reference.push(stable(await s.step()));
    s.dispose();
    reference = JSON.parse(JSON.stringify(reference));
  });

  it('with one replica computes exactly what Search.step() does', async () => {
    const p = await ParallelSearch.create(TINY, data(TINY), []);
    const got: SearchSnapshot[] = [];
    for (let i = 0; i < STEPS; i++) got.push(stable(await p.step()));
    await p.dispose();
    expect(JSON.parse(JSON.stringify(got))).toEqual(reference);
  });

  it('with 2 worker threads: same loss trajectory within float tolerance, replicas bit-identical, no leaks', async () => {
    const p = await createParallelSearch(TINY, data(TINY), 2);
    opened.push(p);
    expect(p.workers).toBe(2);
    const counts: number[][] = [];
    for (let i = 0; i < STEPS; i++) {
      const s = await p.step();
      const r = reference[i];
      expect(s.archStep).toBe(r.archStep);
      // Only the float summation order differs from one thread (2 + 1 images vs 3).
      expect(Math.abs(s.wLoss - r.wLoss)).toBeLessThan(1e-5 * Math.max(1, r.wLoss));
      if (r.archStep) expect(Math.abs(s.valLoss - r.valLoss)).toBeLessThan(1e-5);
      for (let e = 0; e < r.alpha.length; e++)
        for (let o = 0; o < r.alpha[e].length; o++)
          expect(Math.abs(s.alpha[e][o] - r.alpha[e][o])).toBeLessThan(1e-5);
      const sums = await p.checksums();
      expect(sums.length).toBe(2);
      expect(sums[1]).toBe(sums[0]);
      counts.push(await p.numTensors());
    }
    // α moved: the comparison above is not between two untouched initialisations.
    expect(reference[STEPS - 1].alpha).not.toEqual(reference[0].alpha);
    // Per replica, the tensor count is flat once both optimisers have their moments (step 2).
    for (let r = 0; r < 2; r++) expect(new Set(counts.slice(2).map((c) => c[r])).size).toBe(1);
    const before = tf.memory().numTensors;
    await p.dispose();
    expect(tf.memory().numTensors).toBeLessThan(before);
  });

  it('resumes from a checkpoint on 2 threads where the single-thread run continues', async () => {
    const s = new Search(TINY, data(TINY));
    for (let i = 0; i < 2; i++) await s.step();
    const cp = JSON.parse(JSON.stringify(await s.checkpoint()));
    s.dispose();
    const p = await createParallelSearch(TINY, data(TINY), 2, cp);
    opened.push(p);
    expect(p.stepCount).toBe(2);
    expect(new Set(await p.checksums()).size).toBe(1);
    const s3 = await p.step();
    expect(s3.step).toBe(3);
    expect(Math.abs(s3.wLoss - reference[2].wLoss)).toBeLessThan(1e-5);
    expect(new Set(await p.checksums()).size).toBe(1);
  });
});
