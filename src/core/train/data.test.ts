import { describe, expect, it } from 'vitest';
import { createImage } from '../image/image';
import { syntheticImage } from '../model/testUtil';
import { trainDataFromImages } from './data';

const opts = { scale: 2, patch: 8, batch: 3, seed: 3, valImages: 0 };
const named = (n: number, w = 30, h = 30) =>
  Array.from({ length: n }, (_, s) => ({ name: `i${s}`, image: syntheticImage(w, h, s) }));

describe('trainDataFromImages', () => {
  it('accepts 0 .. n−1 held-out images and refuses the rest, naming the flag', () => {
    const raw = named(3);
    expect(trainDataFromImages(raw, opts).valNames).toEqual([]);
    expect(trainDataFromImages(raw, { ...opts, valImages: 2 }).valNames).toHaveLength(2);
    expect(() => trainDataFromImages(raw, { ...opts, valImages: -1 })).toThrow(
      '--val-images must be in 0..2, got -1',
    );
    expect(() => trainDataFromImages(raw, { ...opts, valImages: 3 })).toThrow(
      '--val-images must be in 0..2, got 3',
    );
  });

  it('the held-out image is a seeded draw: over seeds, every image is held out some time', () => {
    const raw = named(5);
    const held = new Set<string>();
    for (let seed = 1; seed <= 40; seed++)
      held.add(trainDataFromImages(raw, { ...opts, seed, valImages: 1 }).valNames[0]);
    expect([...held].sort()).toEqual(['i0', 'i1', 'i2', 'i3', 'i4']);
  });

  it('skips training images narrower or shorter than the patch at LR, keeps the exact fit', () => {
    const raw = [
      { name: 'big', image: createImage(40, 40, 3) },
      // LR 7 × 20 and 20 × 7 are below the 8-pixel patch; LR 8 × 8 fits exactly.
      { name: 'narrow', image: createImage(15, 40, 3) },
      { name: 'short', image: createImage(40, 15, 3) },
      { name: 'exact', image: createImage(16, 17, 3) },
    ];
    const d = trainDataFromImages(raw, opts);
    expect(d.skipped).toEqual(['narrow', 'short']);
    expect(d.trainNames).toEqual(['big', 'exact']);
    expect(() => trainDataFromImages([raw[1], raw[2]], opts)).toThrow(
      'no training image is large enough for patch 8',
    );
  });

  it('builds the sampler with the given scale, patch and batch over the training pool', () => {
    const d = trainDataFromImages(named(4), { ...opts, valImages: 1 });
    const b = d.sampler.next();
    expect([b.batch, b.patch, b.scale]).toEqual([3, 8, 2]);
    expect(b.lr.length).toBe(3 * 8 * 8 * 3);
    expect(d.sampler.images.map((im) => im.name)).toEqual(d.trainNames);
    expect(d.val.map((im) => im.name)).toEqual(d.valNames);
    expect(d.trainNames).toHaveLength(3);
  });
});
