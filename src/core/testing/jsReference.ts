/**
 * Test helper: the SRBNAS networks written again in plain float64 JavaScript, from the method
 * in docs/design.md §2 and not from our tfjs code, so assembly tests can compare a whole forward
 * pass with an independent computation (a missing shortcut, a swapped s0/s1, a node that sums
 * one edge instead of two all change the output). Slow loops; tiny shapes only.
 *
 * Conventions it shares with the product (docs/model-format facts, not code): NHWC; filters
 * [kh, kw, cin/groups, cout] with output channel o in group ⌊o / (cout/groups)⌋; 'same' zero
 * padding; sign(0) = +1; pixel shuffle in tf.depthToSpace's channel order; variable names.
 */
import type { Genotype, Primitive } from '../search/types';
import { PRIMITIVES } from '../search/types';

/** A float64 NHWC tensor. */
export interface T4 {
  n: number;
  h: number;
  w: number;
  c: number;
  d: Float64Array;
}

export const t4 = (n: number, h: number, w: number, c: number, d?: ArrayLike<number>): T4 => ({
  n,
  h,
  w,
  c,
  d: d ? Float64Array.from(d) : new Float64Array(n * h * w * c),
});

/** Look-up of a variable's values by its name without the instance prefix. */
export type Values = (name: string) => Float64Array;

const KERNEL: Record<Primitive, { k: number; dil: number } | null> = {
  bin_dil_conv_3x3: { k: 3, dil: 2 },
  bin_conv_3x3: { k: 3, dil: 1 },
  bin_dil_conv_5x5: { k: 5, dil: 2 },
  bin_conv_5x5: { k: 5, dil: 1 },
  bin_conv_7x7: { k: 7, dil: 1 },
  skip_connect: null,
};

/** 'same' convolution, stride 1, zero padding, grouped, dilated, optional bias. */
export function conv(
  x: T4,
  wt: Float64Array,
  k: number,
  cout: number,
  groups = 1,
  dil = 1,
  bias?: Float64Array,
): T4 {
  const cg = x.c / groups;
  const cog = cout / groups;
  const pad = ((k - 1) * dil) / 2;
  const y = t4(x.n, x.h, x.w, cout);
  for (let b = 0; b < x.n; b++)
    for (let i = 0; i < x.h; i++)
      for (let j = 0; j < x.w; j++)
        for (let o = 0; o < cout; o++) {
          const g = Math.floor(o / cog);
          let acc = bias ? bias[o] : 0;
          for (let a = 0; a < k; a++)
            for (let e = 0; e < k; e++) {
              const ii = i + a * dil - pad;
              const jj = j + e * dil - pad;
              if (ii < 0 || ii >= x.h || jj < 0 || jj >= x.w) continue;
              for (let q = 0; q < cg; q++)
                acc +=
                  x.d[((b * x.h + ii) * x.w + jj) * x.c + g * cg + q] *
                  wt[((a * k + e) * cg + q) * cout + o];
            }
          y.d[((b * x.h + i) * x.w + j) * cout + o] = acc;
        }
  return y;
}

export const add = (a: T4, b: T4): T4 => ({ ...a, d: a.d.map((v, i) => v + b.d[i]) });
export const scale = (a: T4, s: number): T4 => ({ ...a, d: a.d.map((v) => v * s) });

/** Concatenate along channels. */
export function concat(xs: T4[]): T4 {
  const c = xs.reduce((acc, x) => acc + x.c, 0);
  const y = t4(xs[0].n, xs[0].h, xs[0].w, c);
  const pixels = y.n * y.h * y.w;
  for (let p = 0; p < pixels; p++) {
    let off = 0;
    for (const x of xs) {
      for (let q = 0; q < x.c; q++) y.d[p * c + off + q] = x.d[p * x.c + q];
      off += x.c;
    }
  }
  return y;
}

/** Channels [from, from + count). */
export function sliceChannels(x: T4, from: number, count: number): T4 {
  const y = t4(x.n, x.h, x.w, count);
  const pixels = y.n * y.h * y.w;
  for (let p = 0; p < pixels; p++)
    for (let q = 0; q < count; q++) y.d[p * count + q] = x.d[p * x.c + from + q];
  return y;
}

/** PC-DARTS channel_shuffle(groups): view C as [groups, C/groups], transpose, flatten. */
export function channelShuffle(x: T4, groups: number): T4 {
  const per = x.c / groups;
  const y = t4(x.n, x.h, x.w, x.c);
  const pixels = y.n * y.h * y.w;
  for (let p = 0; p < pixels; p++)
    for (let g = 0; g < groups; g++)
      for (let j = 0; j < per; j++) y.d[p * x.c + j * groups + g] = x.d[p * x.c + g * per + j];
  return y;
}

/** Sub-pixel upsampling: input channel (i·r + j)·C + c → output pixel (h·r + i, w·r + j), c. */
export function pixelShuffle(x: T4, r: number): T4 {
  const c = x.c / (r * r);
  const y = t4(x.n, x.h * r, x.w * r, c);
  for (let b = 0; b < x.n; b++)
    for (let h = 0; h < x.h; h++)
      for (let w = 0; w < x.w; w++)
        for (let i = 0; i < r; i++)
          for (let j = 0; j < r; j++)
            for (let q = 0; q < c; q++)
              y.d[((b * y.h + h * r + i) * y.w + w * r + j) * c + q] =
                x.d[((b * x.h + h) * x.w + w) * x.c + (i * r + j) * c + q];
  return y;
}

const sign = (v: number) => (v >= 0 ? 1 : -1);

/**
 * Libra-PB filter per output channel: Ŵ = (W − mean) / std (population std, ε = 1e-12 under
 * the root), value sign(Ŵ) · 2^round(log2 mean|Ŵ|).
 */
export function libraPBFilter(w: Float64Array, cout: number): Float64Array {
  const n = w.length / cout;
  const out = new Float64Array(w.length);
  for (let o = 0; o < cout; o++) {
    let mean = 0;
    for (let i = 0; i < n; i++) mean += w[i * cout + o] / n;
    let v = 0;
    for (let i = 0; i < n; i++) v += (w[i * cout + o] - mean) ** 2 / n;
    const std = Math.sqrt(v + 1e-12);
    let absMean = 0;
    for (let i = 0; i < n; i++) absMean += Math.abs((w[i * cout + o] - mean) / std) / n;
    const s2 = 2 ** Math.round(Math.log2(absMean));
    for (let i = 0; i < n; i++) out[i * cout + o] = sign(w[i * cout + o] - mean) * s2;
  }
  return out;
}

/**
 * The binary op: x + s ⊙ conv_g(sign(x − τ), B_w · 2^S) / √fanIn, fanIn = k²·C/groups
 * (τ per input channel, s per output channel).
 */
export function binaryOp(
  x: T4,
  v: Values,
  name: string,
  k: number,
  dil: number,
  groups: number,
): T4 {
  const tau = v(`${name}/tau`);
  const s = v(`${name}/s`);
  const filter = libraPBFilter(v(`${name}/w`), x.c);
  const norm = 1 / Math.sqrt(k * k * (x.c / groups));
  const input = { ...x, d: x.d.map((val, i) => sign(val - tau[i % x.c])) };
  const branch = conv(input, filter, k, x.c, groups, dil);
  return { ...x, d: x.d.map((val, i) => val + s[i % x.c] * norm * branch.d[i]) };
}

function primitive(x: T4, prim: Primitive, v: Values, name: string, groups: number): T4 {
  const spec = KERNEL[prim];
  return spec ? binaryOp(x, v, name, spec.k, spec.dil, groups) : x;
}

/** conv3x3 with bias of a full-precision layer `name`. */
const fp = (x: T4, v: Values, name: string, cout: number, k = 3) =>
  conv(x, v(`${name}/w`), k, cout, 1, 1, v(`${name}/b`));

/**
 * Macro architecture: h = head(lr); s = cells(h) (s0 = s1 = h for the first cell);
 * b = body(s) + h; y = pixelShuffle_r(tail(b)) + bic.
 */
export function macroForward(
  lr: T4,
  bic: T4,
  v: Values,
  channels: number,
  r: number,
  cells: { apply(s0: T4, s1: T4, i: number): T4; count: number },
): T4 {
  const h = fp(lr, v, 'head', channels);
  let s0 = h;
  let s1 = h;
  for (let i = 0; i < cells.count; i++) {
    const out = cells.apply(s0, s1, i);
    s0 = s1;
    s1 = out;
  }
  const b = add(fp(s1, v, 'body', channels), h);
  return add(pixelShuffle(fp(b, v, 'tail', 3 * r * r), r), bic);
}

/** Evaluation cell: node = op(a) + op(b) on its two chosen inputs; fuse1x1(concat) + s1. */
export function evalCellForward(
  s0: T4,
  s1: T4,
  v: Values,
  name: string,
  genotype: Genotype,
  groups: number,
): T4 {
  const states = [s0, s1];
  for (let j = 0; j < genotype.normal.length / 2; j++) {
    const [a, b] = [2 * j, 2 * j + 1].map((e) => {
      const [prim, input] = genotype.normal[e];
      return primitive(states[input], prim, v, `${name}/edge${e}_${prim}`, groups);
    });
    states.push(add(a, b));
  }
  const cat = concat(genotype.normal_concat.map((i) => states[i]));
  return add(fp(cat, v, `${name}/fuse`, s1.c, 1), s1);
}

/** The evaluation network ('srbnas' ArchConfig). */
export function evalNetworkForward(
  lr: T4,
  bic: T4,
  v: Values,
  c: { scale: number; channels: number; cells: number; groups: number; genotype: Genotype },
): T4 {
  return macroForward(lr, bic, v, c.channels, c.scale, {
    count: c.cells,
    apply: (s0, s1, i) => evalCellForward(s0, s1, v, `cell${i}`, c.genotype, c.groups),
  });
}

const softmax = (row: ArrayLike<number>) => {
  const m = Math.max(...Array.from(row));
  const e = Array.from(row, (a) => Math.exp(a - m));
  const z = e.reduce((a, b) => a + b, 0);
  return e.map((a) => a / z);
};

/** Edge gates: σ(β + logit(2/n_j)) for a node with n_j inputs; 1 for the first node's edges. */
export function gates(beta: ArrayLike<number>): number[] {
  const g: number[] = [];
  for (let j = 0, e = 0; j < 4; j++) {
    const n = j + 2;
    const prior = Math.log(2 / n / (1 - 2 / n));
    for (let i = 0; i < n; i++, e++) g.push(n === 2 ? 1 : 1 / (1 + Math.exp(-(beta[e] + prior))));
  }
  return g;
}

/**
 * PC-DARTS mixed op: the first C/k channels go through Σ_o p_o op_o, the rest bypass;
 * concat, then channel_shuffle(k).
 */
export function mixedOpForward(
  x: T4,
  p: number[],
  v: Values,
  name: string,
  k: number,
  groups: number,
): T4 {
  const cp = x.c / k;
  const xa = sliceChannels(x, 0, cp);
  let mix = t4(x.n, x.h, x.w, cp);
  PRIMITIVES.forEach((prim, o) => {
    mix = add(mix, scale(primitive(xa, prim, v, `${name}/${prim}`, groups), p[o]));
  });
  return channelShuffle(concat([mix, sliceChannels(x, cp, x.c - cp)]), k);
}

/** The supernet: cells of Σ_i g_ij · MixedOp_ij(state_i) nodes, fuse1x1(concat) + s1. */
export function supernetForward(
  lr: T4,
  bic: T4,
  v: Values,
  c: { scale: number; channels: number; cells: number; k: number; groups: number },
): T4 {
  const alpha = v('alpha');
  const p = Array.from({ length: 14 }, (_, e) =>
    softmax(alpha.subarray(e * PRIMITIVES.length, (e + 1) * PRIMITIVES.length)),
  );
  const g = gates(v('beta'));
  return macroForward(lr, bic, v, c.channels, c.scale, {
    count: c.cells,
    apply(s0, s1, i) {
      const states = [s0, s1];
      for (let j = 0, e = 0; j < 4; j++) {
        let node = t4(s1.n, s1.h, s1.w, s1.c);
        for (let input = 0; input < j + 2; input++, e++) {
          const m = mixedOpForward(states[input], p[e], v, `cell${i}/edge${e}`, c.k, c.groups);
          node = add(node, scale(m, g[e]));
        }
        states.push(node);
      }
      return add(fp(concat(states.slice(2)), v, `cell${i}/fuse`, s1.c, 1), s1);
    },
  });
}
