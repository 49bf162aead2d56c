import { describe, expect, it } from 'vitest';
import { crop, createImage, fromFloat, modcrop, toFloat, toRgb, toUint8 } from './image';

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
