import type { ArchConfig } from '../../core/model/config';
import type { BatchStream, TrainConfig } from '../../core/train/trainer';
import { ParallelTrainer } from '../../core/parallel/parallelTrainer';
import { spawnReplicas } from './spawn';

/** Data-parallel training on `workers` threads in total (this one + workers − 1). WASM backend. */
export async function createParallelTrainer(
  architecture: ArchConfig,
  config: TrainConfig,
  data: BatchStream,
  workers: number,
  checkpoint?: { header: unknown; data: ArrayBuffer },
): Promise<ParallelTrainer> {
  const remotes = await spawnReplicas(Math.max(0, workers - 1));
  try {
    return await ParallelTrainer.create(architecture, config, data, remotes, checkpoint);
  } catch (e) {
    await Promise.all(remotes.map((r) => r.close()));
    throw e;
  }
}
