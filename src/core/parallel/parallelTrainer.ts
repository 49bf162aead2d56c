import type { ArchConfig } from '../model/config';
import { Trainer, type BatchStream, type StepResult, type TrainConfig } from '../train/trainer';
import type { ReplicaClient } from './client';
import { dataParallelPhase } from './phase';
import type { Replica } from './replica';
import { trainReplica } from './trainReplica';

/**
 * Data-parallel training of an evaluation network (or baseline) over 1 + remotes replicas, the
 * same scheme as ParallelSearch: replica 0 is a Trainer in this thread and owns the data stream
 * and the checkpoints; every step's batch is sharded, gradients all-reduced, and the same Adam
 * update applied everywhere.
 */
export class ParallelTrainer {
  private readonly replica: Replica;
  private disposed = false;

  private constructor(
    private readonly local: Trainer,
    private readonly data: BatchStream,
    private readonly remotes: ReplicaClient[],
  ) {
    this.replica = trainReplica(local);
  }

  static async create(
    architecture: ArchConfig,
    config: TrainConfig,
    data: BatchStream,
    remotes: ReplicaClient[],
    checkpoint?: { header: unknown; data: ArrayBuffer },
  ): Promise<ParallelTrainer> {
    if (config.batch < 1 + remotes.length)
      throw new Error(
        `batch (${config.batch}) is smaller than the workers (${1 + remotes.length})`,
      );
    const local = checkpoint
      ? Trainer.restore(checkpoint.header, checkpoint.data, data)
      : new Trainer(architecture, config, data);
    if (remotes.length) {
      const cp = await local.checkpoint();
      await Promise.all(
        remotes.map((r) =>
          r.call({
            type: 'init',
            kind: 'train',
            init: { header: cp.header, data: cp.data.slice(0) },
          }),
        ),
      );
    }
    return new ParallelTrainer(local, data, remotes);
  }

  get workers(): number {
    return 1 + this.remotes.length;
  }
  get trainer(): Trainer {
    return this.local;
  }
  get done(): boolean {
    return this.local.done;
  }

  async step(): Promise<StepResult> {
    if (this.disposed) throw new Error('trainer was disposed');
    const loss = await dataParallelPhase(this.replica, this.remotes, 'w', this.data.next());
    if (!Number.isFinite(loss))
      throw new Error(`training loss became ${loss} at step ${this.local.stepCount}`);
    await Promise.all(this.remotes.map((r) => r.call({ type: 'endStep' })));
    return this.local.endStep(loss);
  }

  async checksums(): Promise<string[]> {
    return [
      await this.replica.checksum(),
      ...(await Promise.all(this.remotes.map((r) => r.call<string>({ type: 'checksum' })))),
    ];
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    this.local.dispose();
    await Promise.all(this.remotes.map((r) => r.close()));
  }
}
