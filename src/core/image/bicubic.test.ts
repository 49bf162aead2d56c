import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  axisWeights,
  bicubicUpWindow,
  cubic,
  downscaleBicubic,
  resizeBicubic,
  resizeBicubicFloat,
  upscaleBicubic,
  type ResizeDirection,
} from './bicubic';
import { createFloatImage, createImage, crop, toFloat, type Image } from './image';

interface FixtureCase {
  direction: ResizeDirection;
  factor: number;
  rounding: boolean;
  data: number[];
}
const fixture = JSON.parse(
  readFileSync(new URL('./__fixtures__/bicubic.json', import.meta.url), 'utf8'),
) as { height: number; width: number; channels: 3; cases: FixtureCase[] };

/** The generated pattern of __fixtures__/gen_bicubic.py (same formula). */
function pattern(h: number, w: number): Image {
  const img = createImage(w, h, 3);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++)
      for (let c = 0; c < 3; c++)
        img.data[(y * w + x) * 3 + c] = (x * x * 7 + y * 13 + c * 85 + ((x ^ y) & 5) * 40) % 256;
  return img;
}

describe('cubic kernel (Keys, a = -0.5)', () => {
  it('interpolates: 1 at 0, 0 at other integers, support [-2, 2]', () => {
    expect(cubic(0)).toBe(1);
    for (const k of [-2, -1, 1, 2, 2.5, -3]) expect(cubic(k)).toBe(0);
    // Hand values: cubic(0.5) = 1.5/8 - 2.5/4 + 1 = 0.5625; cubic(1.5) = -0.5*3.375 + 2.5*2.25 - 6 + 2.
    expect(cubic(0.5)).toBeCloseTo(0.5625, 15);
    expect(cubic(1.5)).toBeCloseTo(-0.0625, 15);
  });
});

describe('axisWeights', () => {
  it('rows sum to 1 and stay in range, down and up', () => {
    for (const [inLen, outLen, r, dir] of [
      [12, 6, 2, 'down'],
      [12, 4, 3, 'down'],
      [12, 3, 4, 'down'],
      [5, 15, 3, 'up'],
    ] as const) {
      const aw = axisWeights(inLen, outLen, r, dir);
      expect(aw.taps).toBe(dir === 'down' ? 4 * r + 2 : 6);
      for (let i = 0; i < outLen; i++) {
        let s = 0;
        for (let t = 0; t < aw.taps; t++) {
          s += aw.weights[i * aw.taps + t];
          const j = aw.index[i * aw.taps + t];
          expect(j >= 0 && j < inLen).toBe(true);
        }
        expect(s).toBeCloseTo(1, 12);
      }
    }
  });

  it('upscaling x2: output pixel 1 sits at input 0.75 (1-based), hand-checked weights', () => {
    // x = 1/2 + 0.5*(1 - 1/2) = 0.75; taps at 1-based positions -2..3 -> distances
    // 2.75, 1.75, 0.75, -0.25, -1.25, -2.25; cubic gives 0, k(1.75), k(0.75), k(0.25), k(1.25), 0.
    const aw = axisWeights(8, 16, 2, 'up');
    const k = [0, cubic(1.75), cubic(0.75), cubic(0.25), cubic(1.25), 0];
    const sum = k.reduce((a, b) => a + b, 0);
    for (let t = 0; t < 6; t++) expect(aw.weights[t]).toBeCloseTo(k[t] / sum, 14);
    // Positions -2, -1, 0 clamp to the first pixel.
    expect(Array.from(aw.index.subarray(0, 6))).toEqual([0, 0, 0, 0, 1, 2]);
  });
});

describe('resizeBicubic vs the independent numpy reference (__fixtures__)', () => {
  const src = pattern(fixture.height, fixture.width);
  for (const c of fixture.cases) {
    it(`${c.direction} x${c.factor} ${c.rounding ? 'uint8' : 'float'}`, () => {
      if (c.rounding) {
        const out = resizeBicubic(src, { direction: c.direction, factor: c.factor });
        const h = c.direction === 'down' ? fixture.height / c.factor : fixture.height * c.factor;
        const w = c.direction === 'down' ? fixture.width / c.factor : fixture.width * c.factor;
        expect([out.width, out.height]).toEqual([w, h]);
        expect(Array.from(out.data)).toEqual(c.data);
      } else {
        const out = resizeBicubicFloat(toFloat(src, 1), {
          direction: c.direction,
          factor: c.factor,
        });
        expect(out.data.length).toBe(c.data.length);
        let maxErr = 0;
        for (let i = 0; i < c.data.length; i++) {
          maxErr = Math.max(maxErr, Math.abs(out.data[i] - c.data[i]));
        }
        expect(maxErr).toBeLessThan(1e-4); // float32 storage of values up to ~300
      }
    });
  }
});

describe('resize properties', () => {
  it('a constant image stays constant (down and up, every scale)', () => {
    const img = createImage(24, 12, 3);
    img.data.fill(173);
    for (const r of [2, 3, 4]) {
      expect(downscaleBicubic(img, r).data.every((v) => v === 173)).toBe(true);
      expect(upscaleBicubic(img, r).data.every((v) => v === 173)).toBe(true);
    }
  });

  it('keeps a linear ramp linear away from the borders (cubic reproduces linear functions)', () => {
    const w = 40;
    const f = { width: w, height: 1, channels: 1 as const, data: new Float32Array(w) };
    for (let x = 0; x < w; x++) f.data[x] = 3 * x + 1;
    const up = resizeBicubicFloat(f, { direction: 'up', factor: 2 });
    // Output j (0-based) sits at input (j + 1)/2 + 0.25 - 1 (0-based) = j/2 - 0.25.
    for (let j = 6; j < 2 * w - 6; j++) expect(up.data[j]).toBeCloseTo(3 * (j / 2 - 0.25) + 1, 4);
    const down = resizeBicubicFloat(f, { direction: 'down', factor: 4 });
    // Output i sits at input 4(i + 1) + 0.5(1 - 4) - 1 = 4i + 1.5.
    for (let i = 2; i < w / 4 - 2; i++) expect(down.data[i]).toBeCloseTo(3 * (4 * i + 1.5) + 1, 4);
  });

  it('resizes channels independently (gray equals any one channel of the RGB copy)', () => {
    const rgb = pattern(12, 24);
    const gray = createImage(24, 12, 1);
    for (let i = 0; i < 12 * 24; i++) gray.data[i] = rgb.data[3 * i + 1];
    const a = downscaleBicubic(rgb, 3);
    const b = downscaleBicubic(gray, 3);
    expect(b.channels).toBe(1);
    for (let i = 0; i < b.data.length; i++) expect(b.data[i]).toBe(a.data[3 * i + 1]);
  });

  it('rounds after each pass (differs from rounding once on this pattern)', () => {
    const src = pattern(12, 24);
    const once = resizeBicubicFloat(toFloat(src, 1), { direction: 'down', factor: 3 });
    const twice = downscaleBicubic(src, 3);
    let diff = 0;
    for (let i = 0; i < once.data.length; i++) {
      const r = Math.min(255, Math.max(0, Math.floor(once.data[i] + 0.5)));
      if (r !== twice.data[i]) diff++;
    }
    expect(diff).toBeGreaterThan(0);
  });

  it('rejects bad factors and empty outputs', () => {
    const img = createImage(4, 4, 3);
    expect(() => resizeBicubic(img, { direction: 'down', factor: 0 })).toThrow(/bad resize/);
    expect(() => resizeBicubic(img, { direction: 'down', factor: 8, outWidth: 0 })).toThrow(
      /empty/,
    );
  });
});

describe('bicubicUpWindow', () => {
  it('equals the same window of the whole-image float bicubic, bit for bit', () => {
    const full = createFloatImage(17, 13, 3);
    for (let i = 0; i < full.data.length; i++) full.data[i] = Math.fround(Math.sin(i * 0.37) * 0.8);
    for (const r of [2, 3, 4]) {
      const whole = resizeBicubicFloat(full, { direction: 'up', factor: r });
      // LR window [4, 12) × [3, 10) with 3 pixels of margin (clipped at the image edge).
      for (const [x0, y0, w, h] of [
        [4, 3, 8, 7],
        [0, 0, 5, 4],
        [12, 9, 5, 4],
      ]) {
        const wx = Math.max(0, x0 - 3);
        const wy = Math.max(0, y0 - 3);
        const win = crop(
          full,
          wx,
          wy,
          Math.min(17, x0 + w + 3) - wx,
          Math.min(13, y0 + h + 3) - wy,
        );
        const got = bicubicUpWindow(win, { wx, wy, fullWidth: 17, fullHeight: 13 }, r, {
          ox: x0 * r,
          oy: y0 * r,
          ow: w * r,
          oh: h * r,
        });
        const want = crop(whole, x0 * r, y0 * r, w * r, h * r);
        expect(Array.from(got.data)).toEqual(Array.from(want.data));
      }
    }
  });
});

describe('resize loops (zero taps dropped, unrolled cases)', () => {
  /** The definition, straight from axisWeights: all 6 taps, height then width, float64 sums. */
  function naive(
    img: { width: number; height: number; channels: number; data: Float32Array },
    o: {
      direction: ResizeDirection;
      factor: number;
    },
  ) {
    const oh = o.direction === 'up' ? img.height * o.factor : Math.ceil(img.height / o.factor);
    const ow = o.direction === 'up' ? img.width * o.factor : Math.ceil(img.width / o.factor);
    const h = axisWeights(img.height, oh, o.factor, o.direction);
    const w = axisWeights(img.width, ow, o.factor, o.direction);
    const c = img.channels;
    const mid = new Float32Array(img.width * oh * c);
    for (let i = 0; i < oh; i++)
      for (let k = 0; k < img.width * c; k++) {
        let acc = 0;
        for (let t = 0; t < h.taps; t++)
          acc += h.weights[i * h.taps + t] * img.data[h.index[i * h.taps + t] * img.width * c + k];
        mid[i * img.width * c + k] = acc;
      }
    const out = new Float32Array(ow * oh * c);
    for (let y = 0; y < oh; y++)
      for (let i = 0; i < ow; i++)
        for (let ch = 0; ch < c; ch++) {
          let acc = 0;
          for (let t = 0; t < w.taps; t++)
            acc +=
              w.weights[i * w.taps + t] * mid[(y * img.width + w.index[i * w.taps + t]) * c + ch];
          out[(y * ow + i) * c + ch] = acc;
        }
    return out;
  }

  it('give the 6-tap definition bit for bit (signed zeros included), float, 1 and 3 channels', () => {
    for (const channels of [1, 3] as const) {
      const img = createFloatImage(23, 19, channels);
      // Negative values and exact zeros too, so that a product −0 would show as −0.
      for (let i = 0; i < img.data.length; i++)
        img.data[i] = i % 7 === 0 ? 0 : Math.fround(Math.sin(i * 0.61) * 1.3);
      for (const direction of ['up', 'down'] as const)
        for (const factor of [2, 3, 4]) {
          const got = resizeBicubicFloat(img, { direction, factor });
          const want = naive(img, { direction, factor });
          expect(got.data.length).toBe(want.length);
          for (let i = 0; i < want.length; i++)
            if (!Object.is(got.data[i], want[i]))
              throw new Error(
                `${direction} x${factor} c${channels}: sample ${i}: ${got.data[i]} ≠ ${want[i]}`,
              );
        }
    }
  });
});
