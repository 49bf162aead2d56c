import * as tf from '@tensorflow/tfjs';
import { concatChannels, splitChannels } from './channels';
import { blockDiagonalHost, denseFilterHost, transposedFilterHost } from './filterLayout';
import { hostReadable } from './host';

/**
 * Our one convolution op: stride 1, 'same' padding, odd kernels (1/3/5/7), groups and dilation,
 * NHWC input, tfjs filter layout [kh, kw, cin/groups, cout]. Output channel o belongs to group
 * ⌊o / (cout/groups)⌋ and sees only that group's cin/groups input channels (as torch groups=).
 *
 * tfjs can't train this directly: conv2d's gradient refuses dilation > 1, there is no groups
 * argument, and the WASM backend has no Conv2DBackpropFilter. So the gradient is ours
 * (tf.customGrad) and is built only from ops every backend runs natively and fast:
 *  - y  = conv2d(x, w, dilations = d), per group;
 *  - dx = conv2d(dy, flip(w)ᵀ, dilations = d), per group — for stride 1 and symmetric padding
 *         the input gradient is the same conv with the filter rotated 180° and in/out swapped;
 *  - dw = a "filter-gradient conv" (see filterGrad) or im2col(x)ᵀ · dy.
 */
export interface ConvOpts {
  groups?: number;
  dilation?: 1 | 2;
  /**
   * Gradients the caller knows are not wanted. tf.customGrad cannot tell which inputs are
   * differentiated, so without these the backward always computes both: the α/β step of the
   * search would compute (and drop) every filter gradient, the w-step the first conv's input
   * gradient (its input is the image). A skipped gradient is returned as zeros.
   */
  skipInputGrad?: boolean;
  skipFilterGrad?: boolean;
}

/** How grouped convs are laid out: one native conv per group, or one with a block-diagonal filter. */
export type GroupMode = 'split' | 'dense';

/** How the op is computed; exported so bench/conv.ts can compare strategies. */
export interface ConvStrategy {
  /**
   * 'split': one native conv per group (split/concat). 'dense': one native conv with the
   * block-diagonal filter (groups× the FLOPs, one kernel call), and dw from one dense
   * filter-gradient conv whose diagonal blocks are kept. 'auto': dense when a group has fewer
   * than `denseBelow` input channels (narrow per-group convs and channel-axis split/concat are
   * slow on WASM: 4 groups of 2 channels take ~20 ms where the dense conv takes ~1 ms), split
   * otherwise (at 16 channels per group split wins, ~5.6 vs ~3 GFLOP/s useful). Forward, dx
   * and dw all follow it.
   */
  groups: GroupMode | 'auto';
  denseBelow?: number;
  /**
   * dw: 'conv' computes it as a strided conv of x (batch and channels swapped) with dy as the
   * filter; 'im2col' as matMuls of the unfolded input with dy (slower: measured 2–10× on
   * WASM, because unfolding copies k² times the input; kept as a second reference).
   */
  filterGrad: 'conv' | 'im2col';
  /**
   * Build the re-laid-out filters (block-diagonal, rotated/transposed, diagonal blocks of dw)
   * in plain JS (filterLayout.ts) instead of ~15 small tensor kernels per conv step.
   * Default: on backends whose memory JS can read cheaply (WASM, CPU; see host.ts).
   */
  hostLayouts?: boolean;
}

export const DEFAULT_STRATEGY: ConvStrategy = {
  groups: 'auto',
  denseBelow: 16,
  filterGrad: 'conv',
};

function groupMode(strategy: ConvStrategy, cg: number, groups: number): GroupMode {
  if (groups === 1) return 'split';
  if (strategy.groups !== 'auto') return strategy.groups;
  return cg < (strategy.denseBelow ?? 16) ? 'dense' : 'split';
}

function checkShapes(x: tf.Tensor4D, w: tf.Tensor4D, groups: number): void {
  const [kh, kw, cg, cout] = w.shape;
  if (kh !== kw || kh % 2 !== 1)
    throw new Error(`conv2d: kernel must be odd and square, got ${kh}×${kw}`);
  if (x.shape[3] !== cg * groups)
    throw new Error(
      `conv2d: input has ${x.shape[3]} channels, filter expects ${cg}×${groups} groups`,
    );
  if (cout % groups !== 0)
    throw new Error(`conv2d: ${cout} output channels not divisible by ${groups} groups`);
}

/** Block-diagonal dense filter [kh, kw, cin, cout] from a grouped one [kh, kw, cin/g, cout]. */
export function denseFilter(w: tf.Tensor4D, groups: number): tf.Tensor4D {
  if (groups === 1) return w;
  const [kh, kw, cg, cout] = w.shape;
  const cog = cout / groups;
  return tf.tidy(() => {
    // [kh, kw, cg, g, cog] times a one-hot mask over (input group, output group).
    const w5 = tf.reshape(w, [kh, kw, 1, cg, groups, cog]);
    const eye = tf.reshape(tf.eye(groups), [1, 1, groups, 1, groups, 1]);
    return tf.reshape(tf.mul(w5, eye), [kh, kw, groups * cg, cout]);
  });
}

/** Typed wrapper of the backend's native conv (tfjs' own signature is rank-generic). */
function nativeConv(
  x: tf.Tensor,
  w: tf.Tensor,
  d: number,
  stride = 1,
  pad: 'same' | 'valid' | number = 'same',
): tf.Tensor4D {
  // A number means p zeros on each side, passed as explicit padding: tfjs' numeric pad gives
  // a different output size with stride > 1 (6→3, 5→2 for a 6×5 filter, p = 2, stride 2).
  const padArg: 'same' | 'valid' | [[0, 0], [number, number], [number, number], [0, 0]] =
    typeof pad === 'number'
      ? [
          [0, 0],
          [pad, pad],
          [pad, pad],
          [0, 0],
        ]
      : pad;
  return tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, stride, padArg, 'NHWC', [d, d]);
}

/** Forward grouped, dilated 'same' conv from native convs only. */
export function groupedConvForward(
  x: tf.Tensor4D,
  w: tf.Tensor4D,
  groups: number,
  d: number,
  how: GroupMode,
  host = false,
): tf.Tensor4D {
  return tf.tidy(() => {
    if (groups === 1) return nativeConv(x, w, d);
    if (how === 'dense')
      return nativeConv(x, host ? denseFilterHost(w, groups) : denseFilter(w, groups), d);
    const xs = splitChannels(x, groups);
    const ws = tf.split(w, groups, 3); // small: the filter
    return concatChannels(xs.map((xg, g) => nativeConv(xg, ws[g], d)));
  });
}

/**
 * Filter of the input-gradient conv: rotate 180° and swap in/out within each group:
 * [kh, kw, cg, g·cog] → [kh, kw, cog, g·cg].
 */
export function transposedFilter(w: tf.Tensor4D, groups: number): tf.Tensor4D {
  const [kh, kw, cg, cout] = w.shape;
  const cog = cout / groups;
  return tf.tidy(() => {
    const r = tf.reverse(w, [0, 1]);
    const t = tf.transpose(tf.reshape(r, [kh, kw, cg, groups, cog]), [0, 1, 4, 3, 2]);
    return tf.reshape(t, [kh, kw, cog, groups * cg]);
  });
}

function padSame(x: tf.Tensor4D, p: number): tf.Tensor4D {
  return p === 0
    ? x
    : tf.pad(x, [
        [0, 0],
        [p, p],
        [p, p],
        [0, 0],
      ]);
}

/**
 * dw[a, b, c, o] = Σ_{n,h,w} xpad[n, h + a·d, w + b·d, c] · dy[n, h, w, o]: a conv whose "batch"
 * is the input channel, whose "channels" are the images, whose filter is dy (H×W), with stride d
 * over the padded input and 'valid' padding, giving a kh×kw output. Per group.
 */
function filterGradConv(
  x: tf.Tensor4D,
  dy: tf.Tensor4D,
  k: number,
  groups: number,
  d: number,
  how: GroupMode,
  host = false,
): tf.Tensor4D {
  if (groups > 1 && how === 'dense')
    return tf.tidy(() => {
      const full = filterGradConv(x, dy, k, 1, d, 'split');
      return host ? blockDiagonalHost(full, groups) : blockDiagonal(full, groups);
    });
  const cg = x.shape[3] / groups;
  const cout = dy.shape[3];
  const p = ((k - 1) * d) / 2;
  return tf.tidy(() => {
    // Rank-4 transposes only (tfjs-wasm's 5-D transpose is several times slower), and
    // per-group pieces taken along leading axes or with splitChannels (channel-axis
    // tf.split/concat is slow on WASM, see channels.ts).
    // The zero border is the conv's own padding argument (p on each side, then stride d gives
    // exactly k×k outputs), so no padded copy of x is made.
    const xT = tf.transpose(x, [3, 1, 2, 0]); // [cin, H, W, N]
    const xs = groups === 1 ? [xT] : tf.split(xT, groups, 0);
    const ds = splitChannels(dy, groups).map((dg) => tf.transpose(dg, [1, 2, 0, 3])); // [H, W, N, cog]
    const parts = xs.map((xg, g) => nativeConv(xg, ds[g], 1, d, p)); // [cg, k, k, cog]
    // [g, cg·k·k, cog] → [cg, k, k, g, cog] is [k, k, cg, cout] after one rank-4 transpose.
    const all = tf.reshape(tf.stack(parts, 3), [cg, k, k, cout]); // cout index = g·cog + j
    return tf.transpose(all, [1, 2, 0, 3]) as tf.Tensor4D;
  });
}

/** The grouped filter [kh, kw, cin/g, cout] held in the diagonal blocks of a dense one. */
export function blockDiagonal(full: tf.Tensor4D, groups: number): tf.Tensor4D {
  const [kh, kw, cin, cout] = full.shape;
  const cg = cin / groups;
  const cog = cout / groups;
  return tf.tidy(() => {
    const f6 = tf.reshape(full, [kh, kw, groups, cg, groups, cog]);
    const eye = tf.reshape(tf.eye(groups), [1, 1, groups, 1, groups, 1]);
    return tf.reshape(tf.sum(tf.mul(f6, eye), 2), [kh, kw, cg, cout]);
  });
}

/**
 * dw = im2col(x)ᵀ · dy, one plain matMul per group: [cg·k², M] · [M, cog], M = N·H·W.
 * The unfolded input is built already transposed (channel-major) so that the matMul needs no
 * transpose flag and no batch dimension: on WASM only that form reaches XNNPACK (batched or
 * transposed matMuls fall back to a naive loop, ~1 GFLOP/s instead of ~12).
 */
function filterGradIm2col(
  x: tf.Tensor4D,
  dy: tf.Tensor4D,
  k: number,
  groups: number,
  d: number,
): tf.Tensor4D {
  const [n, h, wd, cin] = x.shape;
  const cout = dy.shape[3];
  const cg = cin / groups;
  const cog = cout / groups;
  const m = n * h * wd;
  return tf.tidy(() => {
    const p = ((k - 1) * d) / 2;
    const xT = tf.transpose(padSame(x, p), [3, 0, 1, 2]); // [cin, N, Hp, Wp]
    const dy2 = tf.reshape(dy, [m, cout]);
    const parts: tf.Tensor[] = [];
    for (let g = 0; g < groups; g++) {
      // Per group, so the unfolded block (cg·k²·M floats) stays small even for k = 7.
      const xg = groups === 1 ? xT : tf.slice(xT, [g * cg, 0, 0, 0], [cg, -1, -1, -1]);
      const taps: tf.Tensor[] = [];
      for (let a = 0; a < k; a++)
        for (let b = 0; b < k; b++) taps.push(tf.slice(xg, [0, 0, a * d, b * d], [cg, n, h, wd]));
      const colsT = tf.reshape(tf.stack(taps, 1), [cg * k * k, m]); // [cg, kk, M]
      const dyg = groups === 1 ? dy2 : tf.slice(dy2, [0, g * cog], [m, cog]);
      parts.push(tf.matMul(colsT, dyg)); // [cg·kk, cog]
    }
    // [g, cg, kh, kw, cog] → [kh, kw, cg, g, cog] = filter layout with o = g·cog + j.
    const dw5 = tf.reshape(tf.stack(parts, 0), [groups, cg, k, k, cog]);
    return tf.reshape(tf.transpose(dw5, [2, 3, 1, 0, 4]), [k, k, cg, cout]);
  });
}

export function filterGrad(
  x: tf.Tensor4D,
  dy: tf.Tensor4D,
  k: number,
  groups: number,
  d: number,
  how: ConvStrategy['filterGrad'],
  mode: GroupMode = 'split',
  host = false,
): tf.Tensor4D {
  return how === 'conv'
    ? filterGradConv(x, dy, k, groups, d, mode, host)
    : filterGradIm2col(x, dy, k, groups, d);
}

/** Build the conv op for a given strategy (bench/conv.ts compares them). */
export function makeConv2d(strategy: ConvStrategy) {
  return function conv2dOp(x: tf.Tensor4D, w: tf.Tensor4D, opts: ConvOpts = {}): tf.Tensor4D {
    const groups = opts.groups ?? 1;
    const d = opts.dilation ?? 1;
    checkShapes(x, w, groups);
    const k = w.shape[0];
    const mode = groupMode(strategy, w.shape[2], groups);
    const host = strategy.hostLayouts ?? hostReadable();
    const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
      const xi = args[0] as tf.Tensor4D;
      const wi = args[1] as tf.Tensor4D;
      (args[2] as tf.GradSaveFunc)([xi, wi]);
      const value = groupedConvForward(xi, wi, groups, d, mode, host);
      const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]): tf.Tensor[] => {
        const [xs, ws] = saved as tf.Tensor4D[];
        const dy4 = dy as tf.Tensor4D;
        const dx = tf.tidy(() => {
          if (opts.skipInputGrad) return tf.zerosLike(dy4);
          if (host && mode === 'dense' && groups > 1)
            return nativeConv(dy4, transposedFilterHost(ws, groups, true), d);
          const wt = host ? transposedFilterHost(ws, groups, false) : transposedFilter(ws, groups);
          return groupedConvForward(dy4, wt, groups, d, mode, host);
        });
        const dw = opts.skipFilterGrad
          ? tf.zerosLike(ws)
          : filterGrad(xs, dy4, k, groups, d, strategy.filterGrad, mode, host);
        return [dx, dw];
      };
      return { value, gradFunc };
    });
    return f(x, w) as tf.Tensor4D;
  };
}

/** The project's conv op (stride 1, 'same', groups, dilation 1|2) with its own gradient. */
export const conv2d = makeConv2d(DEFAULT_STRATEGY);

/** Full-precision conv (head/tail 3×3, the cell's 1×1) with an optional per-channel bias. */
export function conv2dFP(
  x: tf.Tensor4D,
  w: tf.Tensor4D,
  bias?: tf.Tensor1D,
  opts: Pick<ConvOpts, 'skipInputGrad' | 'skipFilterGrad'> & { inference?: boolean } = {},
): tf.Tensor4D {
  if (!bias) return conv2d(x, w, opts);
  // At inference (no gradient) the backend's fused conv adds the bias in the same pass (its
  // accumulators start at the bias): 1 ms less per conv at 256² on WASM; the sum is rounded in
  // another order (differences of ~1e-7 relative), the same for both engines.
  if (opts.inference) return tf.fused.conv2d({ x, filter: w, strides: 1, pad: 'same', bias });
  return tf.tidy(() => tf.add(conv2d(x, w, opts), bias));
}
