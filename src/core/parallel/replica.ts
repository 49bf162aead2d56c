import type { PatchBatch } from '../data/patches';

/**
 * One model copy driven by the data-parallel runner. Generic over what is trained: a *phase*
 * is a set of variables with its own loss and optimiser (the search has 'w' and 'arch', the
 * training of an evaluation network would have just 'w'). Gradients travel flat: the phase's
 * variables end to end in `layout(phase)` order, which every replica built from the same
 * config shares.
 */
export interface Replica {
  /** Variable names (without instance prefix) and sizes of a phase, in flat-gradient order. */
  layout(phase: string): { names: string[]; sizes: number[] };
  /**
   * Mean loss over `shard` and the flat gradient; `missing` lists the indices of variables the
   * loss does not reach (their slots hold zeros and the update must skip them, as tfjs'
   * optimisers skip absent gradients). `options`: per-step settings (e.g. live regulariser
   * weights), passed by the coordinator so replicas need no extra message.
   */
  computeGrads(phase: string, shard: PatchBatch, options?: unknown): ComputedGrads;
  /** Apply the all-reduced gradient of a phase with the replica's own optimiser. */
  applyGrads(phase: string, grads: Float32Array, missing: number[]): void;
  /** Finish a step (advance counters and schedules). */
  endStep(): Promise<void>;
  /** Exact fingerprint of every trainable value (replicas must agree bit for bit). */
  checksum(): Promise<string>;
  numTensors(): number;
  dispose(): void;
}

export interface ComputedGrads {
  loss: number;
  grads: Float32Array;
  missing: number[];
}
