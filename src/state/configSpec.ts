import { DEMO_CONFIG } from '../core/search/presets';
import { type L1Target, type LiveSettings, type SearchConfig } from '../core/search/types';

/**
 * Browser default: the `demo` preset (src/core/search/presets.ts), a search that finishes in
 * minutes on two CPU cores with the data-driven α settings; `paper` and `standard` are one
 * click away (the paper's search takes hours even on a GPU).
 */
export const BROWSER_DEFAULT_CONFIG: SearchConfig = DEMO_CONFIG;

/** Required numeric fields of the config (optional extras such as alphaInitStd keep their defaults). */
export type NumericKey = Exclude<
  { [K in keyof SearchConfig]-?: SearchConfig[K] extends number ? K : never }[keyof SearchConfig],
  'scale'
>;

/** One numeric setting: its label, range and whether it can move during a run. */
export interface NumericSpec {
  key: NumericKey;
  label: string;
  min: number;
  max: number;
  step: number;
  integer: boolean;
  /** Moves live during a run (sent to the worker as setLive). */
  live?: boolean;
  hint?: string;
}

/** The numeric controls, in display order. Ranges are what the page accepts (URL too). */
export const NUMERIC_SPECS: NumericSpec[] = [
  { key: 'cells', label: 'cells N', min: 1, max: 8, step: 1, integer: true },
  { key: 'channels', label: 'channels C', min: 4, max: 128, step: 4, integer: true },
  { key: 'k', label: 'partial-channel k', min: 1, max: 16, step: 1, integer: true },
  { key: 'groups', label: 'groups', min: 1, max: 16, step: 1, integer: true },
  { key: 'epochs', label: 'epochs', min: 1, max: 500, step: 1, integer: true },
  { key: 'stepsPerEpoch', label: 'steps / epoch', min: 1, max: 1000, step: 1, integer: true },
  { key: 'warmupEpochs', label: 'warm-up epochs', min: 0, max: 500, step: 1, integer: true },
  { key: 'batch', label: 'batch', min: 1, max: 64, step: 1, integer: true },
  { key: 'patch', label: 'LR patch', min: 4, max: 64, step: 1, integer: true },
  { key: 'seed', label: 'seed', min: 0, max: 2 ** 31 - 1, step: 1, integer: true },
  { key: 'mu', label: 'μ (L1 on p)', min: 0, max: 2, step: 0.05, integer: false, live: true },
  { key: 'rho', label: 'ρ (L2 on p)', min: 0, max: 2, step: 0.05, integer: false, live: true },
  {
    key: 'lambda',
    label: 'λ (R(α) weight)',
    min: 0,
    max: 5,
    step: 0.1,
    integer: false,
    live: true,
  },
  { key: 'gamma', label: 'γ (R(β) weight)', min: 0, max: 5, step: 0.1, integer: false, live: true },
  { key: 'nu', label: 'ν (R(β) sum-to-2)', min: 0, max: 5, step: 0.1, integer: false },
  {
    key: 'dataWeight',
    label: 'κ (data weight in L_arch)',
    min: 0,
    max: 1e6,
    step: 100,
    integer: false,
    hint: 'L_arch = κ·L1(val) + λ·lin·R(α) + γ·lin·R(β); the paper has κ = 1',
  },
  { key: 'regEpochs', label: 'E (lin(e) ramp)', min: 1, max: 500, step: 1, integer: true },
  { key: 'tMin', label: 'EDE Tmin', min: 0.001, max: 10, step: 0.01, integer: false },
  { key: 'tMax', label: 'EDE Tmax', min: 0.1, max: 100, step: 0.1, integer: false },
  { key: 'wLr', label: 'weight lr', min: 1e-6, max: 1, step: 1e-4, integer: false },
  { key: 'archLr', label: 'α/β lr', min: 1e-6, max: 1, step: 1e-4, integer: false },
  {
    key: 'archWeightDecay',
    label: 'α/β weight decay',
    min: 0,
    max: 1,
    step: 1e-4,
    integer: false,
  },
];

export const LIVE_KEYS = ['mu', 'rho', 'lambda', 'gamma', 'nu', 'l1Target'] as const;
/** The settings the UI moves live during a run (the brief: μ/ρ/λ/γ, plus the L1 target). */
export const UI_LIVE_KEYS: (keyof LiveSettings)[] = ['mu', 'rho', 'lambda', 'gamma', 'l1Target'];

/** The paper's (μ, ρ) pairs (Table 4). */
export const MU_RHO_PRESETS: { mu: number; rho: number; label: string }[] = [
  { mu: 0.2, rho: 0.8, label: 'μ 0.2 / ρ 0.8' },
  { mu: 0.5, rho: 0.5, label: 'μ 0.5 / ρ 0.5' },
  { mu: 0.8, rho: 0.2, label: 'μ 0.8 / ρ 0.2' },
];

export const SCALES = [2, 3, 4] as const;
export const L1_TARGETS: L1Target[] = ['softmax', 'logits'];

/** Clamp and round a value to its spec; NaN gives undefined. */
export function coerceNumeric(spec: NumericSpec, v: number): number | undefined {
  if (!Number.isFinite(v)) return undefined;
  const c = Math.min(spec.max, Math.max(spec.min, v));
  return spec.integer ? Math.round(c) : c;
}

/**
 * Cross-field problems that would make the search fail (shown next to Play, which stays
 * disabled). Divisibility follows the method: C/k channels enter the mixed op, and its binary
 * convs are group convs over those channels.
 */
export function configProblems(c: SearchConfig): string[] {
  const out: string[] = [];
  if (c.channels % c.k !== 0)
    out.push(`channels C (${c.channels}) must be divisible by k (${c.k})`);
  else if ((c.channels / c.k) % c.groups !== 0)
    out.push(`C/k (${c.channels / c.k}) must be divisible by groups (${c.groups})`);
  if (c.tMin >= c.tMax) out.push(`EDE Tmin (${c.tMin}) must be below Tmax (${c.tMax})`);
  if (c.warmupEpochs >= c.epochs)
    out.push(
      `warm-up (${c.warmupEpochs}) must be shorter than epochs (${c.epochs}), else α never moves`,
    );
  return out;
}

/** Which tfjs backend the worker should try first ('auto' = WebGPU → WebGL → WASM → CPU). */
export const BACKEND_PREFS = ['auto', 'webgpu', 'webgl', 'wasm', 'cpu'] as const;
export type BackendPref = (typeof BACKEND_PREFS)[number];

/** The order handed to the worker: the preferred backend first, the others as fallbacks. */
export function backendOrder(pref: BackendPref): string[] | undefined {
  if (pref === 'auto') return undefined;
  return [pref, ...BACKEND_PREFS.filter((b) => b !== 'auto' && b !== pref)];
}
