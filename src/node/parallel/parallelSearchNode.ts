import type { SearchCheckpoint, SearchData } from '../../core/search/search';
import type { SearchConfig } from '../../core/search/types';
import { ParallelSearch } from '../../core/parallel/parallelSearch';
import { spawnReplicas } from './spawn';

/**
 * A data-parallel search on `workers` threads in total: this thread is replica 0, the other
 * workers − 1 are worker_threads. The caller's tfjs must already be on the WASM backend.
 */
export async function createParallelSearch(
  config: SearchConfig,
  data: SearchData,
  workers: number,
  checkpoint?: SearchCheckpoint,
  opts: { skipUnusedGrads?: boolean } = {},
): Promise<ParallelSearch> {
  const remotes = await spawnReplicas(Math.max(0, workers - 1));
  try {
    return await ParallelSearch.create(config, data, remotes, checkpoint, opts);
  } catch (e) {
    await Promise.all(remotes.map((r) => r.close()));
    throw e;
  }
}
