/**
 * The search's public contract: its configuration (what the UI and CLI set) and the snapshot it
 * emits (plain JSON, posted from the worker to the UI and written as JSON lines by the CLI).
 */

/** Table 1 search space, in this order everywhere (α columns follow it). */
export const PRIMITIVES = [
  'bin_dil_conv_3x3',
  'bin_conv_3x3',
  'bin_dil_conv_5x5',
  'bin_conv_5x5',
  'bin_conv_7x7',
  'skip_connect',
] as const;
export type Primitive = (typeof PRIMITIVES)[number];

export type L1Target = 'softmax' | 'logits';

/** Settings that may change between steps (the UI moves them live). */
export interface LiveSettings {
  mu: number;
  rho: number;
  lambda: number;
  gamma: number;
  nu: number;
  l1Target: L1Target;
}

export interface SearchConfig extends LiveSettings {
  scale: 2 | 3 | 4;
  cells: number;
  channels: number;
  /** Partial-channel factor k (C/k channels go through the mixed op). */
  k: number;
  groups: number;
  epochs: number;
  /** Steps per epoch (each step = one w-step and, after warm-up, one α/β-step). */
  stepsPerEpoch: number;
  batch: number;
  /** LR patch size (HR patch = patch · scale). */
  patch: number;
  seed: number;
  /** Epochs before α/β steps start (docs/design.md §2.9: 25 % of epochs). */
  warmupEpochs: number;
  /** E of lin(e) = min(1, e/E); defaults to epochs. */
  regEpochs: number;
  tMin: number;
  tMax: number;
  wLr: number;
  archLr: number;
  archWeightDecay: number;
  /**
   * Seed of the 50/50 split of the images into w-train and α-val (absent: `seed`). A fixed one
   * keeps the split the same across search seeds, as DARTS' fixed index split does.
   */
  splitSeed?: number;
  /** α init: std·N(0,1), seeded (default 1e-3); 0 = exactly uniform. */
  alphaInitStd?: number;
  /**
   * κ: weight of the data term in L_arch = κ·L1(val) + λ·lin·R(α) + γ·lin·R(β); the paper has
   * κ = 1. Configs saved before κ existed lack it and run with 1.
   */
  dataWeight: number;
}

/**
 * The default search: the paper's size with the data-driven α settings (the `standard` preset;
 * src/core/search/presets.ts has `paper`, the literal settings, and `demo`).
 */
export { STANDARD_CONFIG as DEFAULT_SEARCH_CONFIG } from './presets';

/** A DARTS-style genotype: 2 (op, input state) pairs per intermediate node. */
export interface Genotype {
  normal: [Primitive, number][];
  normal_concat: number[];
}

/** What the search emits after each step (plain JSON). */
export interface SearchSnapshot {
  step: number;
  epoch: number;
  /** Whether this step included an α/β update (false during warm-up). */
  archStep: boolean;
  wLoss: number;
  /** L1 on the α-val half (NaN before the first arch step). */
  valLoss: number;
  /** Regulariser values before scaling, and their effective weights λ·lin(e), γ·lin(e). */
  regAlpha: number;
  regBeta: number;
  regAlphaWeight: number;
  regBetaWeight: number;
  /** softmax(α) per edge: [14][|PRIMITIVES|]. */
  alphaSoftmax: number[][];
  /** Raw α logits per edge, same shape. */
  alpha: number[][];
  /** Edge gates g_ij per edge [14] (first node's two edges are 1). */
  gates: number[];
  /** Entropy of p per edge [14]. */
  entropy: number[];
  genotype: Genotype;
  /** Parameters of the network the current genotype would give (derived cell, full C). */
  derivedParams: number;
  ede: { t: number; k: number };
  settings: LiveSettings;
  stepMs: number;
  numTensors: number;
  backend: string;
  /**
   * The α/β gradient of this step's α/β update split by source, taken before the update
   * (absent on steps without one, and on the step-0 snapshot). `data` = ∂L1(val)/∂·,
   * `reg` = ∂(λ·lin·R(α) + γ·lin·R(β))/∂·; weight decay is neither (it is wd·θ).
   */
  archGrad?: ArchGradSplit;
}

/** See SearchSnapshot.archGrad. */
export interface ArchGradSplit {
  dataAlpha: number[][];
  regAlpha: number[][];
  dataBeta: number[];
  regBeta: number[];
}
