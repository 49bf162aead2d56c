/**
 * Training settings and their defaults, apart from ./trainer (which pulls in tfjs) so the page's
 * main thread can show and edit them without bundling tfjs.
 */

/** Settings of one training run of an evaluation network or baseline (docs/design.md §2). */
export interface TrainConfig {
  epochs: number;
  stepsPerEpoch: number;
  batch: number;
  /** LR patch side (HR patch = patch · scale). */
  patch: number;
  lr: number;
  seed: number;
  tMin: number;
  tMax: number;
}

export const DEFAULT_TRAIN_CONFIG: TrainConfig = {
  epochs: 100,
  stepsPerEpoch: 100,
  batch: 16,
  patch: 24,
  lr: 1e-3,
  seed: 1,
  tMin: 0.1,
  tMax: 10,
};
