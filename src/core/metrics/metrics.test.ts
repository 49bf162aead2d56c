import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createImage, type Image } from '../image/image';
import { srScore, evaluatePairs } from './evaluate';
import { shave, type Plane } from './plane';
import { psnr } from './psnr';
import { gaussian1d, ssim } from './ssim';

const fixture = JSON.parse(
  readFileSync(new URL('./__fixtures__/ssim.json', import.meta.url), 'utf8'),
) as { height: number; width: number; ssim: number; psnr: number };

function plane(w: number, h: number, f: (x: number, y: number) => number): Plane {
  const data = new Float64Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) data[y * w + x] = f(x, y);
  return { width: w, height: h, data };
}

function rgb(w: number, h: number, f: (x: number, y: number, c: number) => number): Image {
  const img = createImage(w, h, 3);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++)
      for (let c = 0; c < 3; c++) img.data[(y * w + x) * 3 + c] = f(x, y, c);
  return img;
}

describe('PSNR', () => {
  it('is Infinity for identical images', () => {
    const a = plane(8, 8, (x, y) => x * y);
    expect(psnr(a, a)).toBe(Infinity);
  });

  it('is 20 log10(255 / d) for a constant error of d', () => {
    const a = plane(10, 7, (x, y) => 50 + x + y);
    for (const d of [1, 2.5, 10]) {
      const b = plane(10, 7, (x, y) => 50 + x + y + (x % 2 ? d : -d));
      expect(psnr(a, b)).toBeCloseTo(20 * Math.log10(255 / d), 10);
    }
  });

  it('rejects planes of different sizes', () => {
    expect(() =>
      psnr(
        plane(2, 2, () => 0),
        plane(3, 2, () => 0),
      ),
    ).toThrow(/sizes differ/);
  });
});

describe('SSIM', () => {
  it('uses a normalised Gaussian window', () => {
    const g = gaussian1d(11, 1.5);
    expect(g.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 14);
    expect(g[5] / g[4]).toBeCloseTo(Math.exp(1 / (2 * 1.5 * 1.5)), 12);
  });

  it('is 1 for identical images', () => {
    const a = plane(20, 15, (x, y) => (x * 37 + y * 11) % 256);
    expect(ssim(a, a)).toBeCloseTo(1, 12);
  });

  it('equals (2ab + c1) / (a^2 + b^2 + c1) for constant images a and b (zero variance)', () => {
    const c1 = (0.01 * 255) ** 2;
    for (const [va, vb] of [
      [100, 110],
      [0, 255],
      [30, 30],
    ]) {
      const s = ssim(
        plane(16, 12, () => va),
        plane(16, 12, () => vb),
      );
      expect(s).toBeCloseTo((2 * va * vb + c1) / (va * va + vb * vb + c1), 10);
    }
  });

  it('matches the independent numpy reference (full 2-D windows) on a generated pair', () => {
    const a = plane(
      fixture.width,
      fixture.height,
      (x, y) => (x * x * 3 + y * 7 + ((x * y) % 5) * 11) % 256,
    );
    const b = plane(fixture.width, fixture.height, (x, y) => {
      const av = a.data[y * fixture.width + x];
      return Math.min(255, Math.max(0, av * 0.8 + 20 + ((x + 2 * y) % 7) * 6 - 15));
    });
    expect(ssim(a, b)).toBeCloseTo(fixture.ssim, 10);
    expect(psnr(a, b)).toBeCloseTo(fixture.psnr, 10);
  });

  it('needs at least one full window', () => {
    expect(() =>
      ssim(
        plane(10, 20, () => 0),
        plane(10, 20, () => 0),
      ),
    ).toThrow(/at least 11x11/);
  });
});

describe('srScore (Y channel, border = scale)', () => {
  it('identical images: PSNR Infinity, SSIM 1', () => {
    const hr = rgb(30, 24, (x, y, c) => (x * 9 + y * 5 + c * 70) % 256);
    const s = srScore(hr, hr, 3);
    expect(s.psnr).toBe(Infinity);
    expect(s.ssim).toBeCloseTo(1, 12);
  });

  it('an offset of d grey levels on R, G and B moves Y by d*219/255', () => {
    // Y = 16 + (65.481 R + 128.553 G + 24.966 B)/255, so +d on all three adds
    // d * (65.481 + 128.553 + 24.966) / 255 = d * 219 / 255 to Y everywhere.
    const hr = rgb(30, 24, (x, y, c) => 40 + ((x * 7 + y * 3 + c * 20) % 150));
    for (const d of [1, 3, 8]) {
      const sr = rgb(30, 24, (x, y, c) => 40 + ((x * 7 + y * 3 + c * 20) % 150) + d);
      const dy = (d * (65.481 + 128.553 + 24.966)) / 255;
      expect(srScore(hr, sr, 2).psnr).toBeCloseTo(20 * Math.log10(255 / dy), 8);
    }
  });

  it('crops `scale` pixels from each border before measuring', () => {
    const hr = rgb(20, 20, () => 100);
    // Damage only the outermost 2 pixels: invisible at scale 2, visible at scale 1.
    const sr = rgb(20, 20, (x, y) => (x < 2 || y < 2 || x >= 18 || y >= 18 ? 0 : 100));
    expect(srScore(hr, sr, 2).psnr).toBe(Infinity);
    expect(srScore(hr, sr, 1).psnr).toBeLessThan(30);
    expect(
      shave(
        plane(20, 20, () => 0),
        2,
      ).width,
    ).toBe(16);
  });

  it('rejects an SR image of the wrong size', () => {
    expect(() =>
      srScore(
        rgb(20, 20, () => 0),
        rgb(18, 20, () => 0),
        2,
      ),
    ).toThrow(/SR output is 18x20/);
  });
});

describe('evaluatePairs', () => {
  it('averages per-image scores over images and reports each image', async () => {
    const f = (x: number, y: number, c: number) => 40 + ((x * 11 + y * 3 + c) % 150);
    const hr = rgb(24, 24, f);
    const lr = rgb(12, 12, () => 0);
    const offsets = [1, 2];
    let call = 0;
    // A fake upscaler: HR + 1 grey level for the first pair, HR + 2 for the second.
    const upscaler = async (img: Image, scale: number) => {
      expect([img.width * scale, img.height * scale]).toEqual([24, 24]);
      const d = offsets[call++];
      return rgb(24, 24, (x, y, c) => f(x, y, c) + d);
    };
    const seen: string[] = [];
    const pairs = ['a', 'b'].map((name) => ({ name, load: async () => ({ hr, lr }) }));
    const res = await evaluatePairs(upscaler, pairs, 2, (s) => seen.push(s.name));
    const p = (d: number) => 20 * Math.log10(255 / ((d * 219) / 255));
    expect(seen).toEqual(['a', 'b']);
    expect(res.count).toBe(2);
    expect(res.psnr).toBeCloseTo((p(1) + p(2)) / 2, 8);
    expect(res.images.map((s) => s.name)).toEqual(['a', 'b']);
  });

  it('rejects a pair whose LR size does not match HR / scale', async () => {
    const pairs = [
      { name: 'x', load: async () => ({ hr: rgb(24, 24, () => 0), lr: rgb(10, 12, () => 0) }) },
    ];
    await expect(evaluatePairs(async (i) => i, pairs, 2)).rejects.toThrow(/x: LR 10x12 x2/);
  });
});
