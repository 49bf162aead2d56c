import type { SearchCheckpoint, SearchData } from '../search/search';
import { Search } from '../search/search';
import type { LiveSettings, SearchConfig, SearchSnapshot } from '../search/types';
import type { ReplicaClient } from './client';
import type { Replica } from './replica';
import { dataParallelPhase } from './phase';
import { searchReplica, type SearchReplicaInit } from './searchReplica';

/**
 * Data-parallel SRBNAS search over W replicas: replica 0 is a Search in this thread (it owns
 * the data streams, the snapshots and the checkpoints), replicas 1..W−1 run in other threads
 * behind ReplicaClients. Each phase (w-step, α/β step): draw the full batch here, shard it,
 * every replica computes the gradient of its shard's mean loss, the coordinator all-reduces
 * (Σ n_i/N · g_i) and every replica applies the same gradient with its own, identical
 * optimiser, so replicas stay bit-identical (checksums() shows it). With W = 1 this computes
 * exactly what Search.step() does; with W > 1 the same up to float summation order.
 */
export class ParallelSearch {
  private readonly replica: Replica;
  private disposed = false;

  private constructor(
    private readonly local: Search,
    private readonly data: SearchData,
    private readonly remotes: ReplicaClient[],
  ) {
    this.replica = searchReplica(local);
  }

  /** A fresh search (`checkpoint` absent) or one resumed from a checkpoint, on 1 + remotes. */
  static async create(
    config: SearchConfig,
    data: SearchData,
    remotes: ReplicaClient[],
    checkpoint?: SearchCheckpoint,
    opts: { skipUnusedGrads?: boolean } = {},
  ): Promise<ParallelSearch> {
    const local = checkpoint ? await Search.restore(checkpoint, data) : new Search(config, data);
    local.skipUnusedGrads = opts.skipUnusedGrads ?? true;
    if (local.config.batch < 1 + remotes.length)
      throw new Error(
        `batch (${local.config.batch}) is smaller than the workers (${1 + remotes.length})`,
      );
    // Every remote starts from the coordinator's exact state (values, optimiser moments, step).
    const init: SearchReplicaInit | null = remotes.length
      ? { checkpoint: await local.checkpoint(), skipUnusedGrads: local.skipUnusedGrads }
      : null;
    await Promise.all(remotes.map((r) => r.call({ type: 'init', kind: 'search', init })));
    return new ParallelSearch(local, data, remotes);
  }

  get workers(): number {
    return 1 + this.remotes.length;
  }
  get config(): SearchConfig {
    return this.local.config;
  }
  get settings(): LiveSettings {
    return this.local.settings;
  }
  get stepCount(): number {
    return this.local.stepCount;
  }
  get totalSteps(): number {
    return this.local.totalSteps;
  }
  get done(): boolean {
    return this.local.done;
  }
  /** The coordinator's Search (replica 0). */
  get search(): Search {
    return this.local;
  }

  /** Live settings reach the remotes with each α/β request, so no broadcast is needed. */
  setLive(partial: Partial<LiveSettings>): void {
    this.local.setLive(partial);
  }

  private phase(phase: 'w' | 'arch', options?: LiveSettings): Promise<number> {
    const batch = phase === 'w' ? this.data.train.next() : this.data.val.next();
    return dataParallelPhase(this.replica, this.remotes, phase, batch, options);
  }

  async step(): Promise<SearchSnapshot> {
    if (this.disposed) throw new Error('search was disposed');
    const t0 = performance.now();
    const live = this.local.settings;
    const archStep = this.local.archStepNext;
    const wLoss = await this.phase('w');
    if (!Number.isFinite(wLoss))
      throw new Error(`training loss became ${wLoss} at step ${this.local.stepCount}`);
    const valLoss = archStep ? await this.phase('arch', live) : null;
    await Promise.all(this.remotes.map((r) => r.call({ type: 'endStep' })));
    return this.local.endStep(t0, wLoss, valLoss, live);
  }

  /** The step-0 snapshot (the coordinator's; every replica starts from the same state). */
  initialSnapshot(): Promise<SearchSnapshot> {
    return this.local.initialSnapshot();
  }

  checkpoint(): Promise<SearchCheckpoint> {
    return this.local.checkpoint();
  }

  /** Checksum of every replica's trainable values, replica 0 first (all equal when in sync). */
  async checksums(): Promise<string[]> {
    return [
      await this.replica.checksum(),
      ...(await Promise.all(this.remotes.map((r) => r.call<string>({ type: 'checksum' })))),
    ];
  }

  /** tf.memory().numTensors in every replica's thread, replica 0 first. */
  async numTensors(): Promise<number[]> {
    return [
      this.replica.numTensors(),
      ...(await Promise.all(this.remotes.map((r) => r.call<number>({ type: 'numTensors' })))),
    ];
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    this.local.dispose();
    await Promise.all(this.remotes.map((r) => r.close()));
  }
}
