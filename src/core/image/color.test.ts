import { describe, expect, it } from 'vitest';
import { lumaY } from './color';
import { createImage, createFloatImage } from './image';

describe('BT.601 luma', () => {
  it('maps black to 16, white to 235 and primaries to 16 + their coefficient', () => {
    const img = createImage(5, 1, 3);
    img.data.set([0, 0, 0, 255, 255, 255, 255, 0, 0, 0, 255, 0, 0, 0, 255]);
    const y = lumaY(img);
    const want = [16, 16 + 65.481 + 128.553 + 24.966, 16 + 65.481, 16 + 128.553, 16 + 24.966];
    for (let i = 0; i < 5; i++) expect(y[i]).toBeCloseTo(want[i], 10);
    expect(want[1]).toBeCloseTo(235, 10);
  });

  it('rounds only when asked (MATLAB uint8 convention)', () => {
    const img = createImage(1, 1, 3);
    img.data.set([100, 50, 20]);
    const exact = 16 + (65.481 * 100 + 128.553 * 50 + 24.966 * 20) / 255; // 67.3...
    expect(lumaY(img)[0]).toBeCloseTo(exact, 10);
    expect(lumaY(img, { round: true })[0]).toBe(Math.round(exact));
  });

  it('takes gray samples as Y, ignores alpha, and accepts [0,1] floats', () => {
    const g = createImage(2, 1, 1);
    g.data.set([0, 200]);
    expect(Array.from(lumaY(g))).toEqual([0, 200]);
    const a = createImage(1, 1, 4);
    a.data.set([255, 255, 255, 0]);
    expect(lumaY(a)[0]).toBeCloseTo(235, 10);
    const f = createFloatImage(1, 1, 3);
    f.data.set([1, 1, 1]);
    expect(lumaY(f, { white: 1 })[0]).toBeCloseTo(235, 5);
  });
});
