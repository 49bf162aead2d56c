import type { PatchBatch } from '../data/patches';
import { weightedLoss, weightedMean } from './allReduce';
import type { ReplicaClient } from './client';
import type { ComputedGrads, Replica } from './replica';
import { shardBatch } from './shard';

/**
 * One data-parallel update of one phase, for any Replica (search or training): shard the batch,
 * every replica computes its shard's gradient (the local one in this thread while the remote
 * ones run in theirs), all-reduce Σ n_i/N · g_i, every replica applies the result. Returns the
 * full-batch mean loss. Remotes must have been initialised with the local replica's state.
 */
export async function dataParallelPhase(
  local: Replica,
  remotes: ReplicaClient[],
  phase: string,
  batch: PatchBatch,
  options?: unknown,
): Promise<number> {
  const shards = shardBatch(batch, 1 + remotes.length);
  const counts = shards.map((s) => s.batch);
  const theirs = remotes.map((r, i) =>
    r.call<ComputedGrads>({ type: 'grads', phase, shard: shards[i + 1], options }),
  );
  // Ours runs (synchronously) while the other threads compute theirs.
  const mine = local.computeGrads(phase, shards[0], options);
  const all = [mine, ...(await Promise.all(theirs))];
  const grads = weightedMean(
    all.map((g) => g.grads),
    counts,
  );
  const applied = remotes.map((r) =>
    r.call({ type: 'apply', phase, grads: grads.slice(), missing: mine.missing }),
  );
  local.applyGrads(phase, grads, mine.missing);
  await Promise.all(applied);
  return weightedLoss(
    all.map((g) => g.loss),
    counts,
  );
}
