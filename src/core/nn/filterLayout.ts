import * as tf from '@tensorflow/tfjs';

/**
 * The conv op's filter re-layouts (conv.ts) computed in plain JS, for WASM/CPU where reading
 * a small filter is cheap (see host.ts). Same results as conv.ts' tensor versions (tested);
 * not differentiable — they are used inside the conv's own forward/backward only.
 * Filters are [k, k, cin/groups, cout]; output channel o is in group ⌊o / (cout/groups)⌋.
 */

/** Block-diagonal dense filter [k, k, cin, cout] (zeros between groups). */
export function denseFilterHost(w: tf.Tensor4D, groups: number): tf.Tensor4D {
  const [kh, kw, cg, cout] = w.shape;
  const cog = cout / groups;
  const cin = cg * groups;
  const src = w.dataSync();
  const out = new Float32Array(kh * kw * cin * cout);
  for (let t = 0; t < kh * kw; t++)
    for (let c = 0; c < cg; c++)
      for (let o = 0; o < cout; o++) {
        const g = Math.floor(o / cog);
        out[(t * cin + g * cg + c) * cout + o] = src[(t * cg + c) * cout + o];
      }
  return tf.tensor4d(out, [kh, kw, cin, cout]);
}

/**
 * Input-gradient filter: rotated 180°, in/out swapped within each group,
 * [k, k, cg, g·cog] → [k, k, cog, g·cg]; dense (block-diagonal [k, k, cout, cin]) if asked.
 */
export function transposedFilterHost(w: tf.Tensor4D, groups: number, dense: boolean): tf.Tensor4D {
  const [kh, kw, cg, cout] = w.shape;
  const cog = cout / groups;
  const cin = cg * groups;
  const src = w.dataSync();
  const rows = dense ? cout : cog;
  const out = new Float32Array(kh * kw * rows * cin);
  for (let a = 0; a < kh; a++)
    for (let b = 0; b < kw; b++) {
      const tOut = a * kw + b;
      const tIn = (kh - 1 - a) * kw + (kw - 1 - b);
      for (let c = 0; c < cg; c++)
        for (let o = 0; o < cout; o++) {
          const g = Math.floor(o / cog);
          const j = o - g * cog;
          const row = dense ? o : j;
          out[(tOut * rows + row) * cin + g * cg + c] = src[(tIn * cg + c) * cout + o];
        }
    }
  return tf.tensor4d(out, [kh, kw, rows, cin]);
}

/** The grouped filter [k, k, cin/g, cout] held in the diagonal blocks of a dense one. */
export function blockDiagonalHost(full: tf.Tensor4D, groups: number): tf.Tensor4D {
  const [kh, kw, cin, cout] = full.shape;
  const cg = cin / groups;
  const cog = cout / groups;
  const src = full.dataSync();
  const out = new Float32Array(kh * kw * cg * cout);
  for (let t = 0; t < kh * kw; t++)
    for (let c = 0; c < cg; c++)
      for (let o = 0; o < cout; o++) {
        const g = Math.floor(o / cog);
        out[(t * cg + c) * cout + o] = src[(t * cin + g * cg + c) * cout + o];
      }
  return tf.tensor4d(out, [kh, kw, cg, cout]);
}
