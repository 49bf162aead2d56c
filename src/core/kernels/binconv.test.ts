import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { binaryOpReference } from '../nn/binaryFold';
import { useWasm } from '../nn/testBackend';
import { Rng } from '../rng';
import {
  binConvTables,
  binConvVariant,
  hasBinConvKernel,
  relaxedSimdSupported,
  selectBinConvVariant,
  type BinConvVariant,
  hasConcatKernel,
  runBinConv,
  runConcatChannels,
} from './binconv';

beforeAll(useWasm);

interface Case {
  h: number;
  w: number;
  c: number;
  groups: number;
  k: number;
  d: number;
}

/**
 * docs/model-format.md §3 steps 5–7 in plain loops, independent of tfjs and of the kernel:
 * a = x − τ ≥ 0 ? 1 : −1, dot over taps inside the image only, out = f32(x + f32(dot · c)).
 */
function naive(
  x: Float32Array,
  tau: Float32Array,
  sign: Float32Array,
  scale: Float32Array,
  { h, w, c, groups, k, d }: Case,
): Float32Array {
  const cg = c / groups;
  const cog = c / groups;
  const kc = (k - 1) / 2;
  const out = new Float32Array(x.length);
  for (let y = 0; y < h; y++)
    for (let xx = 0; xx < w; xx++)
      for (let o = 0; o < c; o++) {
        const g = Math.floor(o / cog);
        let dot = 0;
        for (let a = 0; a < k; a++)
          for (let b = 0; b < k; b++) {
            const yy = y + (a - kc) * d;
            const xs = xx + (b - kc) * d;
            if (yy < 0 || yy >= h || xs < 0 || xs >= w) continue; // zero padding: adds 0
            for (let i = 0; i < cg; i++) {
              const ch = g * cg + i;
              const act = Math.fround(x[(yy * w + xs) * c + ch] - tau[ch]) >= 0 ? 1 : -1;
              dot += act * sign[((a * k + b) * cg + i) * c + o];
            }
          }
        const p = (y * w + xx) * c + o;
        out[p] = Math.fround(x[p] + Math.fround(dot * scale[o]));
      }
  return out;
}

function randomCase(cs: Case, seed: number) {
  const rng = new Rng(seed);
  const { h, w, c, groups, k } = cs;
  const cg = c / groups;
  // Activations on a coarse grid so that x − τ = 0 happens (sign(0) = +1 is exercised).
  const x = Float32Array.from({ length: h * w * c }, () => Math.round(rng.normal() * 4) / 8);
  const tau = Float32Array.from({ length: c }, () => Math.round(rng.normal() * 2) / 8);
  const sign = Float32Array.from({ length: k * k * cg * c }, () => (rng.next() < 0.5 ? -1 : 1));
  const scale = Float32Array.from({ length: c }, () => Math.fround(rng.normal() * 0.05));
  return { x, tau, sign, scale };
}

function kernelOut(cs: Case, v: ReturnType<typeof randomCase>, add?: Float32Array): Float32Array {
  const { h, w, c, groups, k, d } = cs;
  const t = binConvTables(v.sign, k, c / groups, c);
  return tf.tidy(() =>
    runBinConv(
      tf.tensor4d(v.x, [1, h, w, c]),
      tf.tensor1d(v.tau),
      tf.tensor1d(v.scale),
      tf.tensor1d(t.tables, 'int32'),
      { ...t.attrs, dilation: d, groups },
      add ? tf.tensor4d(add, [1, h, w, c]) : undefined,
    ).dataSync(),
  ) as Float32Array;
}

const CASES: Case[] = [
  // The bundled models' shapes: C = 32, 4 groups (8 channels = one byte plane per group).
  { h: 19, w: 37, c: 32, groups: 4, k: 3, d: 1 },
  { h: 19, w: 37, c: 32, groups: 4, k: 3, d: 2 },
  { h: 13, w: 21, c: 32, groups: 4, k: 5, d: 1 },
  { h: 13, w: 21, c: 32, groups: 4, k: 5, d: 2 },
  { h: 11, w: 33, c: 32, groups: 4, k: 7, d: 1 },
  // Images smaller than the kernel (every pixel is a border pixel, both sides at once).
  { h: 1, w: 1, c: 32, groups: 4, k: 7, d: 1 },
  { h: 2, w: 5, c: 32, groups: 4, k: 5, d: 2 },
  { h: 3, w: 16, c: 32, groups: 4, k: 3, d: 1 },
  // Other widths: 16 channels per group (2 planes), 32 (g = 1: 4 planes), 6 (part of a byte,
  // a cog not divisible by 4), 12 (channels not a multiple of 8: the scalar packer).
  { h: 9, w: 17, c: 64, groups: 4, k: 3, d: 1 },
  { h: 9, w: 17, c: 32, groups: 1, k: 3, d: 2 },
  { h: 7, w: 18, c: 12, groups: 2, k: 5, d: 1 },
  { h: 7, w: 9, c: 12, groups: 1, k: 7, d: 1 },
];

describe('packed binary conv (WASM, XNOR + popcount)', () => {
  it('is registered on the WASM backend', () => {
    expect(hasBinConvKernel('wasm')).toBe(true);
  });

  it('runs its relaxed-SIMD build here (vitest passes the flag Node 20 needs, as the CLI sets it)', () => {
    expect(relaxedSimdSupported()).toBe(true);
    expect(binConvVariant()).toBe('relaxed');
  });

  // Both builds of the kernel, each against the definition: the relaxed one (nibble lookups by
  // relaxed_swizzle) and the plain-SIMD one (i8x16.swizzle), which engines without relaxed SIMD run.
  for (const variant of ['relaxed', 'simd'] as BinConvVariant[])
    describe(`${variant} build`, () => {
      beforeAll(() => selectBinConvVariant(variant));
      afterAll(() => selectBinConvVariant('relaxed'));
      for (const [i, cs] of CASES.entries()) {
        const label = `${cs.h}×${cs.w}×${cs.c}, ${cs.groups} groups, ${cs.k}×${cs.k} d${cs.d}`;
        it(`equals the plain-loop definition bit for bit: ${label}`, () => {
          expect(binConvVariant()).toBe(variant);
          const v = randomCase(cs, 100 + i);
          const got = kernelOut(cs, v);
          const want = naive(v.x, v.tau, v.sign, v.scale, cs);
          expect(Array.from(got)).toEqual(Array.from(want));
        });
      }
    });

  it('fuses a node sum: add + op(x), rounded as op(x) then the add, bit for bit', () => {
    for (const [i, cs] of [CASES[0], CASES[4], CASES[10]].entries()) {
      const v = randomCase(cs, 300 + i);
      const rng = new Rng(400 + i);
      const add = Float32Array.from(v.x, () => Math.fround(rng.normal()));
      const got = kernelOut(cs, v, add);
      const want = naive(v.x, v.tau, v.sign, v.scale, cs).map((y, j) => Math.fround(add[j] + y));
      expect(Array.from(got)).toEqual(Array.from(want));
    }
  });

  it('concatenates channels like tf.concat (the cell’s concat at inference)', () => {
    expect(hasConcatKernel('wasm')).toBe(true);
    const rng = new Rng(5);
    const shape: [number, number, number, number] = [2, 3, 5, 6];
    const xs = [0, 1, 2].map(() =>
      tf.tensor4d(
        Float32Array.from({ length: 180 }, () => rng.normal()),
        shape,
      ),
    );
    const [got, want] = tf.tidy(() => [
      runConcatChannels(xs).dataSync(),
      tf.concat(xs, 3).dataSync(),
    ]);
    expect(Array.from(got)).toEqual(Array.from(want));
    xs.forEach((x) => x.dispose());
  });

  it('equals the tfjs reference op (float conv of ±1) bit for bit, batch of 2', () => {
    const cs = { h: 12, w: 20, c: 32, groups: 4, k: 5, d: 2 };
    const a = randomCase(cs, 7);
    const b = randomCase(cs, 8);
    const x = new Float32Array([...a.x, ...b.x]);
    const t = binConvTables(a.sign, 5, 8, 32);
    const [got, want] = tf.tidy(() => {
      const xt = tf.tensor4d(x, [2, 12, 20, 32]);
      const tau = tf.tensor1d(a.tau);
      const sc = tf.tensor1d(a.scale);
      const k = runBinConv(xt, tau, sc, tf.tensor1d(t.tables, 'int32'), {
        ...t.attrs,
        dilation: 2,
        groups: 4,
      });
      const r = binaryOpReference(xt, tau, tf.tensor4d(a.sign, [5, 5, 8, 32]), sc, {
        groups: 4,
        dilation: 2,
      });
      return [k.dataSync(), r.dataSync()];
    });
    expect(Array.from(got)).toEqual(Array.from(want));
  });

  it('treats the border exactly: a zero-padded tap adds 0, not ±1', () => {
    // All signs +1 and all activations +1: dot = cg × (number of taps inside the image).
    const cs = { h: 4, w: 4, c: 8, groups: 1, k: 3, d: 1 };
    const v = {
      x: new Float32Array(4 * 4 * 8).fill(1),
      tau: new Float32Array(8),
      sign: new Float32Array(9 * 8 * 8).fill(1),
      scale: new Float32Array(8).fill(1),
    };
    const out = kernelOut(cs, v);
    const at = (y: number, x: number) => out[(y * 4 + x) * 8] - 1;
    expect(at(0, 0)).toBe(8 * 4); // corner: 2×2 taps inside
    expect(at(0, 1)).toBe(8 * 6); // edge: 2×3
    expect(at(1, 1)).toBe(8 * 9); // interior
  });

  it('keeps the tensor count flat', () => {
    const cs = CASES[0];
    const v = randomCase(cs, 1);
    kernelOut(cs, v);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) kernelOut(cs, v);
    expect(tf.memory().numTensors).toBe(before);
  });
});
