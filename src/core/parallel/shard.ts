import type { PatchBatch } from '../data/patches';

/**
 * Data-parallel sharding of one batch over W replicas. The coordinator draws the full batch
 * (so the data stream, and with it the result, does not depend on W); replica i gets the
 * contiguous images [start_i, start_i + n_i), the first `batch mod W` shards one image more.
 * Because every loss here is a mean over the batch, the full-batch gradient is Σ_i (n_i/N)·g_i
 * (see allReduce.ts): only the float summation order depends on W.
 */
export function shardSizes(batch: number, workers: number): number[] {
  if (!Number.isInteger(workers) || workers < 1)
    throw new Error(`workers must be a positive integer, got ${workers}`);
  if (batch < workers)
    throw new Error(`batch (${batch}) must be at least the number of workers (${workers})`);
  const base = Math.floor(batch / workers);
  const extra = batch % workers;
  return Array.from({ length: workers }, (_, i) => base + (i < extra ? 1 : 0));
}

/** The W shards of a batch (own copies of the pixels, so they can be transferred). */
export function shardBatch(b: PatchBatch, workers: number): PatchBatch[] {
  const sizes = shardSizes(b.batch, workers);
  const lrPer = b.patch * b.patch * 3;
  const P = b.patch * b.scale;
  const hrPer = P * P * 3;
  let start = 0;
  return sizes.map((n) => {
    const s: PatchBatch = {
      batch: n,
      patch: b.patch,
      scale: b.scale,
      lr: b.lr.slice(start * lrPer, (start + n) * lrPer),
      hr: b.hr.slice(start * hrPer, (start + n) * hrPer),
      bic: b.bic.slice(start * hrPer, (start + n) * hrPer),
    };
    start += n;
    return s;
  });
}
