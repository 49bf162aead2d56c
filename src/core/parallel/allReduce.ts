/**
 * All-reduce of flat gradients (one Float32Array per replica, all variables of a phase laid end
 * to end in the replicas' common variable order). Replica i computed the mean loss over its n_i
 * images, so the gradient of the full-batch mean is Σ_i (n_i/N)·g_i. The sum runs in replica
 * order in float64 and is rounded once, so every replica applies the same bits; with one
 * replica the weight is 1 and the result is g itself (bit-identical to the single-thread path).
 */
export function weightedMean(parts: Float32Array[], counts: number[]): Float32Array {
  if (parts.length === 0 || parts.length !== counts.length)
    throw new Error('weightedMean: need one count per part');
  const len = parts[0].length;
  for (const p of parts)
    if (p.length !== len) throw new Error(`weightedMean: lengths differ (${p.length} vs ${len})`);
  if (parts.length === 1) return parts[0].slice();
  const total = counts.reduce((a, b) => a + b, 0);
  const w = counts.map((n) => n / total);
  const out = new Float32Array(len);
  for (let j = 0; j < len; j++) {
    let acc = 0;
    for (let i = 0; i < parts.length; i++) acc += w[i] * parts[i][j];
    out[j] = acc;
  }
  return out;
}

/** Weighted mean of per-shard mean losses (the full-batch mean loss). */
export function weightedLoss(losses: number[], counts: number[]): number {
  const total = counts.reduce((a, b) => a + b, 0);
  if (losses.length === 1) return losses[0];
  let acc = 0;
  for (let i = 0; i < losses.length; i++) acc += (counts[i] / total) * losses[i];
  return acc;
}

/** Lay out named arrays end to end in a fixed order (one buffer to transfer per message). */
export function flatten(arrays: Float32Array[]): Float32Array {
  let n = 0;
  for (const a of arrays) n += a.length;
  const out = new Float32Array(n);
  let o = 0;
  for (const a of arrays) {
    out.set(a, o);
    o += a.length;
  }
  return out;
}

/** Views of `flat` cut at the given sizes (inverse of flatten). */
export function unflatten(flat: Float32Array, sizes: number[]): Float32Array[] {
  const out: Float32Array[] = [];
  let o = 0;
  for (const n of sizes) {
    out.push(flat.subarray(o, o + n));
    o += n;
  }
  if (o !== flat.length) throw new Error(`unflatten: ${flat.length} values for ${o} expected`);
  return out;
}
