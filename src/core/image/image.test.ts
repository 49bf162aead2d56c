import { describe, expect, it } from 'vitest';
import {
  checkImage,
  copyImage,
  crop,
  createImage,
  fromFloat,
  grayIfNeutral,
  imageBuffers,
  imageFromRgba,
  imageToRgba,
  modcrop,
  toFloat,
  toRgb,
  toUint8,
  type Channels,
} from './image';
import { Rng } from '../rng';

function noise(w: number, h: number, c: Channels, seed: number) {
  const img = createImage(w, h, c);
  const rng = new Rng(seed);
  for (let i = 0; i < img.data.length; i++) img.data[i] = rng.int(256);
  return img;
}

describe('image helpers', () => {
  it('toUint8 rounds half away from zero and saturates (MATLAB uint8())', () => {
    expect([0.49, 0.5, 1.5, 2.5, 254.5, 255.4, 300, -3, NaN].map(toUint8)).toEqual([
      0, 1, 2, 3, 255, 255, 255, 0, 0,
    ]);
  });

  it('modcrop crops the top-left to multiples of the scale', () => {
    const img = createImage(7, 5, 1);
    for (let i = 0; i < 35; i++) img.data[i] = i;
    const m = modcrop(img, 3);
    expect([m.width, m.height]).toEqual([6, 3]);
    expect(Array.from(m.data)).toEqual([
      0, 1, 2, 3, 4, 5, 7, 8, 9, 10, 11, 12, 14, 15, 16, 17, 18, 19,
    ]);
    expect(modcrop(m, 3)).toBe(m);
    expect(() => modcrop(createImage(2, 2, 3), 3)).toThrow(/smaller than the scale/);
  });

  it('crop copies a window and rejects out-of-range windows', () => {
    const img = createImage(4, 3, 3);
    for (let i = 0; i < img.data.length; i++) img.data[i] = i;
    const c = crop(img, 1, 1, 2, 2);
    expect(Array.from(c.data)).toEqual([15, 16, 17, 18, 19, 20, 27, 28, 29, 30, 31, 32]);
    expect(() => crop(img, 3, 0, 2, 1)).toThrow(/outside/);
  });

  it('toRgb expands gray and drops alpha', () => {
    const g = createImage(2, 1, 1);
    g.data.set([10, 200]);
    expect(Array.from(toRgb(g).data)).toEqual([10, 10, 10, 200, 200, 200]);
    const a = createImage(1, 1, 4);
    a.data.set([1, 2, 3, 4]);
    expect(Array.from(toRgb(a).data)).toEqual([1, 2, 3]);
  });

  it('toFloat / fromFloat round-trip', () => {
    const img = createImage(3, 2, 3);
    for (let i = 0; i < img.data.length; i++) img.data[i] = i * 14;
    expect(fromFloat(toFloat(img)).data).toEqual(img.data);
  });

  it('rejects bad sizes', () => {
    expect(() => createImage(0, 3, 3)).toThrow(/bad image size/);
    expect(() => createImage(2, 2, 2 as 3)).toThrow(/bad channel count/);
  });
});

describe('grayIfNeutral', () => {
  it('collapses R=G=B to one channel and keeps colour images', () => {
    const g = createImage(2, 1, 3);
    g.data.set([9, 9, 9, 200, 200, 200]);
    expect(grayIfNeutral(g)).toMatchObject({ channels: 1, data: new Uint8Array([9, 200]) });
    const c = createImage(2, 1, 3);
    c.data.set([9, 9, 9, 200, 201, 200]);
    expect(grayIfNeutral(c)).toBe(c);
  });
});

describe('the one pair of converters (RGBA bytes <-> Image)', () => {
  it('round-trips gray, RGB and RGBA pixels exactly', () => {
    for (const c of [1, 3, 4] as const) {
      const img = noise(7, 5, c, c);
      if (c === 4) img.data[3] = 254; // not opaque, so the alpha is kept
      const rgba = imageToRgba(img);
      expect(rgba.length).toBe(7 * 5 * 4);
      const back = imageFromRgba(rgba, 7, 5, c === 1);
      expect(back.channels, `channels ${c}`).toBe(c);
      expect(Buffer.from(back.data)).toEqual(Buffer.from(img.data));
    }
  });

  it('writes RGBA as canvases want it: gray expanded, alpha 255 when absent', () => {
    const g = createImage(2, 1, 1);
    g.data.set([10, 200]);
    expect(Array.from(imageToRgba(g))).toEqual([10, 10, 10, 255, 200, 200, 200, 255]);
    const rgb = createImage(1, 1, 3);
    rgb.data.set([1, 2, 3]);
    expect(Array.from(imageToRgba(rgb))).toEqual([1, 2, 3, 255]);
  });

  it('keeps only the channels the pixels need', () => {
    const opaque = new Uint8ClampedArray([1, 2, 3, 255, 4, 5, 6, 255]);
    expect(imageFromRgba(opaque, 2, 1)).toMatchObject({
      channels: 3,
      data: new Uint8Array([1, 2, 3, 4, 5, 6]),
    });
    expect(imageFromRgba(opaque, 2, 1, true)).toMatchObject({
      channels: 1,
      data: new Uint8Array([1, 4]),
    });
    const seeThrough = new Uint8Array([1, 2, 3, 255, 4, 5, 6, 0]);
    expect(imageFromRgba(seeThrough, 2, 1, true).channels).toBe(4);
    expect(() => imageFromRgba(opaque, 3, 1)).toThrow(/8 RGBA bytes for a 3x1 image/);
  });
});

describe('images between threads', () => {
  it('transfers each owned buffer once and never a shared larger one', () => {
    const a = noise(2, 2, 3, 1);
    const b = copyImage(a);
    expect(b.data).not.toBe(a.data);
    expect(Buffer.from(b.data)).toEqual(Buffer.from(a.data));
    const alias = { ...a }; // two images on one buffer (e.g. result = bicubic)
    const big = new Uint8Array(100);
    const view = { width: 2, height: 2, channels: 3 as const, data: big.subarray(10, 22) };
    expect(imageBuffers([a, alias, undefined, b, view])).toEqual([a.data.buffer, b.data.buffer]);
  });

  it('checks what arrives, naming it', () => {
    const a = noise(3, 2, 4, 2);
    expect(checkImage(a, 'x')).toBe(a);
    expect(() => checkImage({ ...a, width: 4 }, 'photo.png')).toThrow(
      'photo.png: 24 bytes for 4×2×4 (expected 32)',
    );
    expect(() => checkImage({ ...a, data: a.data.buffer }, 'y')).toThrow(/y: not an image/);
    expect(() => checkImage(null, 'z')).toThrow(/z: not an image/);
  });
});
