import { expect } from 'vitest';
import type { Rng } from '../rng';

/**
 * Test helpers: a naive float64 loop reference of our conv (same conventions: NHWC, filter
 * [k, k, cin/groups, cout], 'same' padding, dilation d) with the analytic gradients of
 * L = Σ up ⊙ y, written independently of tfjs.
 */
export interface Shape4 {
  n: number;
  h: number;
  w: number;
  c: number;
}

/** Naive float64 reference: y = conv(x, w), and the analytic dx, dw of L = Σ up ⊙ y. */
export function reference(
  x: Float64Array,
  s: Shape4,
  wt: Float64Array,
  k: number,
  cout: number,
  groups: number,
  d: number,
  up: Float64Array,
): { y: Float64Array; dx: Float64Array; dw: Float64Array } {
  const { n, h, w, c } = s;
  const cg = c / groups;
  const cog = cout / groups;
  const p = ((k - 1) * d) / 2;
  const y = new Float64Array(n * h * w * cout);
  const dx = new Float64Array(x.length);
  const dw = new Float64Array(wt.length);
  for (let b = 0; b < n; b++)
    for (let i = 0; i < h; i++)
      for (let j = 0; j < w; j++)
        for (let o = 0; o < cout; o++) {
          const g = Math.floor(o / cog);
          const yi = ((b * h + i) * w + j) * cout + o;
          let acc = 0;
          for (let a = 0; a < k; a++) {
            const ii = i + a * d - p;
            if (ii < 0 || ii >= h) continue;
            for (let e = 0; e < k; e++) {
              const jj = j + e * d - p;
              if (jj < 0 || jj >= w) continue;
              for (let q = 0; q < cg; q++) {
                const xi = ((b * h + ii) * w + jj) * c + g * cg + q;
                const wi = ((a * k + e) * cg + q) * cout + o;
                acc += x[xi] * wt[wi];
                dx[xi] += up[yi] * wt[wi];
                dw[wi] += up[yi] * x[xi];
              }
            }
          }
          y[yi] = acc;
        }
  return { y, dx, dw };
}

export function randArray(n: number, rng: Rng): Float64Array {
  const a = new Float64Array(n);
  for (let i = 0; i < n; i++) a[i] = rng.normal();
  return a;
}

export function expectClose(got: ArrayLike<number>, want: ArrayLike<number>, tol: number): void {
  expect(got.length).toBe(want.length);
  let scale = 0;
  for (let i = 0; i < want.length; i++) scale = Math.max(scale, Math.abs(want[i]));
  let worst = 0;
  for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i] - want[i]));
  expect(worst / Math.max(scale, 1e-12)).toBeLessThan(tol);
}
