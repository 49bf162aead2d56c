import type { Genotype, LiveSettings, SearchConfig, SearchSnapshot } from '../../core/search/types';

export type RunStatus = 'idle' | 'starting' | 'running' | 'paused' | 'done' | 'failed' | 'crashed';

/** A run as kept in IndexedDB and shown in the runs list (small: no history, last numbers only). */
export interface RunRecord {
  id: string;
  createdAt: number;
  config: SearchConfig;
  status: RunStatus;
  step: number;
  totalSteps: number;
  backend: string;
  seconds: number;
  /** Numbers of the last snapshot (null before the first step). */
  last: {
    settings: LiveSettings;
    wLoss: number;
    valLoss: number;
    derivedParams: number;
    genotype: Genotype;
    alpha: number[][];
    gates: number[];
    ede: { t: number; k: number };
  } | null;
  /** The initialisation's derived cell and α (step 0), to show what the search changed. */
  initial?: { genotype: Genotype; alpha: number[][] };
  /** Coarse val/w-loss curve for the comparison sparkline (≤ 100 points). */
  curve: { step: number; wLoss: number; valLoss: number }[];
}

export function recordFromSnapshot(r: RunRecord, s: SearchSnapshot): RunRecord {
  let curve = [...r.curve, { step: s.step, wLoss: s.wLoss, valLoss: s.valLoss }];
  if (curve.length > 100) curve = curve.filter((_, i) => i % 2 === 0 || i === curve.length - 1);
  return {
    ...r,
    step: s.step,
    backend: s.backend,
    last: {
      settings: s.settings,
      wLoss: s.wLoss,
      valLoss: s.valLoss,
      derivedParams: s.derivedParams,
      genotype: s.genotype,
      alpha: s.alpha,
      gates: s.gates,
      ede: s.ede,
    },
    curve,
  };
}
