import { DEFAULT_SEARCH_CONFIG, type SearchConfig } from '../search/types';
import { DEFAULT_TRAIN_CONFIG, type TrainConfig } from '../train/trainer';

/**
 * The smallest runs the tests drive end to end: 3 epochs of 2 steps, so epoch boundaries (EDE
 * t and k, the α/β warm-up, checkpoints) fall inside a test of a few hundred milliseconds.
 */

/** One cell of C = 4, batch 1, patch 6 at x2; α/β steps from epoch 1. */
export const TINY_SEARCH_CONFIG: SearchConfig = {
  ...DEFAULT_SEARCH_CONFIG,
  scale: 2,
  channels: 4,
  k: 1,
  groups: 1,
  cells: 1,
  batch: 1,
  patch: 6,
  epochs: 3,
  stepsPerEpoch: 2,
  warmupEpochs: 1,
  regEpochs: 3,
  seed: 5,
};

/** Batch 2 of patch 8, seed 7 (pair it with model/testUtil's tinyConfigs for the network). */
export const TINY_TRAIN_CONFIG: TrainConfig = {
  ...DEFAULT_TRAIN_CONFIG,
  epochs: 3,
  stepsPerEpoch: 2,
  batch: 2,
  patch: 8,
  seed: 7,
};
