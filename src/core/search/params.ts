import type { LiveSettings, SearchConfig } from './types';

/**
 * The search settings, one row each (as TensorFlow Playground's typed property table): the
 * page's controls and its URL (src/state), `srbnas search`'s flags and their ranges
 * (src/cli/search.ts), the run logs and the validation all derive from this table. The
 * `default` column is the paper's value; the `paper` preset is this column (presets.ts).
 */

/** Numeric fields of SearchConfig (optional ones included). */
export type NumberParamKey = {
  [K in keyof SearchConfig]-?: NonNullable<SearchConfig[K]> extends number ? K : never;
}[keyof SearchConfig];
export type ChoiceParamKey = 'scale' | 'l1Target';
export type ParamKey = NumberParamKey | ChoiceParamKey;

interface ParamBase {
  /** The SearchConfig field; also the URL parameter. */
  key: ParamKey;
  /** The `srbnas search` flag (camel case here, --kebab-case on the command line). */
  flag: string;
  /** Math symbol used in logs and the page (null: the key is shown). */
  symbol: string | null;
  /** What the paper (or the design doc) calls it, with where. */
  paper: string;
  /** The page's label for the control. */
  label: string;
  /** Moves during a run (a slider in the page, applied by Search.setLive at the next step). */
  live: boolean;
  /** One line for `--help` and the control's tooltip. */
  help: string;
  /**
   * Whether the page has a control and a URL parameter for it (false: CLI only; the page runs
   * with the preset's value).
   */
  page: boolean;
  /** How `srbnas search` fills it when the flag is absent (default: "the preset's"). */
  cliDefault?: string;
}

export interface NumberParam extends ParamBase {
  type: 'number';
  key: NumberParamKey;
  min: number;
  max: number;
  /** Step of the page's control. */
  step: number;
  integer: boolean;
  /** The paper's value (undefined: optional, absent means what `cliDefault` says). */
  default: number | undefined;
}

export interface ChoiceParam extends ParamBase {
  type: 'choice';
  key: ChoiceParamKey;
  choices: readonly (string | number)[];
  /** Text of each choice in the page. */
  choiceLabels: readonly string[];
  default: string | number;
}

export type SearchParam = NumberParam | ChoiceParam;

const int = (min: number, max: number, step = 1) =>
  ({ type: 'number', integer: true, min, max, step }) as const;
const real = (min: number, max: number, step: number) =>
  ({ type: 'number', integer: false, min, max, step }) as const;

/** The table, in the page's display order. */
export const SEARCH_PARAMS: readonly SearchParam[] = [
  {
    key: 'scale',
    flag: 'scale',
    type: 'choice',
    choices: [2, 3, 4],
    choiceLabels: ['x2', 'x3', 'x4'],
    symbol: 'r',
    paper: 'scale factor r (×2, ×3, ×4)',
    label: 'scale',
    live: false,
    page: true,
    help: 'SR scale',
    default: 3,
  },
  {
    key: 'cells',
    flag: 'cells',
    ...int(1, 8),
    symbol: 'N',
    paper: 'cells N (3 light, 8 large)',
    label: 'cells N',
    live: false,
    page: true,
    help: 'cells N',
    default: 3,
  },
  {
    key: 'channels',
    flag: 'channels',
    ...int(4, 256, 4),
    symbol: 'C',
    paper: 'channels C (64)',
    label: 'channels C',
    live: false,
    page: true,
    help: 'channels C',
    default: 64,
  },
  {
    key: 'k',
    flag: 'k',
    ...int(1, 16),
    symbol: 'k',
    paper: 'PC-DARTS partial-channel factor k (8)',
    label: 'partial-channel k',
    live: false,
    page: true,
    help: 'partial-channel factor k',
    default: 8,
  },
  {
    key: 'groups',
    flag: 'groups',
    ...int(1, 16),
    symbol: 'g',
    paper: 'groups of the binary group convs (Table 1)',
    label: 'groups',
    live: false,
    page: true,
    help: 'binary conv groups',
    default: 4,
  },
  {
    key: 'epochs',
    flag: 'epochs',
    ...int(1, 10000),
    symbol: null,
    paper: 'search epochs (100)',
    label: 'epochs',
    live: false,
    page: true,
    help: 'search epochs',
    default: 100,
  },
  {
    key: 'stepsPerEpoch',
    flag: 'stepsPerEpoch',
    ...int(1, 10000),
    symbol: null,
    paper: 'steps per epoch (not in the paper)',
    label: 'steps / epoch',
    live: false,
    page: true,
    help: 'steps per epoch (each: a w-step and, after warm-up, an α/β-step)',
    default: 20,
  },
  {
    key: 'warmupEpochs',
    flag: 'warmup',
    ...int(0, 10000),
    symbol: null,
    paper: 'warm-up epochs before α/β steps (25 %, EBNAS)',
    label: 'warm-up epochs',
    live: false,
    page: true,
    help: 'epochs before α/β steps',
    cliDefault: "the preset's, or 25% of --epochs",
    default: 25,
  },
  {
    key: 'batch',
    flag: 'batch',
    ...int(1, 256),
    symbol: null,
    paper: 'batch size (16)',
    label: 'batch',
    live: false,
    page: true,
    help: 'batch size',
    default: 16,
  },
  {
    key: 'patch',
    flag: 'patch',
    ...int(4, 128),
    symbol: null,
    paper: 'LR patch size (24)',
    label: 'LR patch',
    live: false,
    page: true,
    help: 'LR patch size',
    default: 24,
  },
  {
    key: 'seed',
    flag: 'seed',
    ...int(0, 2 ** 31 - 1),
    symbol: null,
    paper: 'random seed',
    label: 'seed',
    live: false,
    page: true,
    help: 'random seed (weights, α, split, crops)',
    default: 1,
  },
  {
    key: 'mu',
    flag: 'mu',
    ...real(0, 2, 0.05),
    symbol: 'μ',
    paper: 'μ, L1 weight in R(α) (eq. 4)',
    label: 'μ (L1 on p)',
    live: true,
    page: true,
    help: 'L1 weight in R(α)',
    default: 0.8,
  },
  {
    key: 'rho',
    flag: 'rho',
    ...real(0, 2, 0.05),
    symbol: 'ρ',
    paper: 'L2 weight in R(α) (eq. 4; the paper reuses γ)',
    label: 'ρ (L2 on p)',
    live: true,
    page: true,
    help: 'L2 weight in R(α)',
    default: 0.2,
  },
  {
    key: 'lambda',
    flag: 'lambda',
    ...real(0, 5, 0.1),
    symbol: 'λ',
    paper: 'λ, weight of R(α) in L_arch (eq. 5, 8; EBNAS 1.5)',
    label: 'λ (R(α) weight)',
    live: true,
    page: true,
    help: 'weight of R(α)',
    default: 1.5,
  },
  {
    key: 'gamma',
    flag: 'gamma',
    ...real(0, 5, 0.1),
    symbol: 'γ',
    paper: 'γ, weight of R(β) in L_arch (eq. 8; EBNAS 0.8)',
    label: 'γ (R(β) weight)',
    live: true,
    page: true,
    help: 'weight of R(β)',
    default: 0.8,
  },
  {
    key: 'nu',
    flag: 'nu',
    ...real(0, 5, 0.1),
    symbol: 'ν',
    paper: 'gate-sum weight in R(β) (eq. 7; the paper reuses μ)',
    label: 'ν (R(β) sum-to-2)',
    live: true,
    page: true,
    help: 'gate-sum weight in R(β)',
    default: 0.5,
  },
  {
    key: 'l1Target',
    flag: 'l1Target',
    type: 'choice',
    choices: ['softmax', 'logits'],
    choiceLabels: ['softmax p (paper, literal: no gradient)', 'logits α (μ acts)'],
    symbol: null,
    paper: 'what the L1 term of eq. 4 acts on (the paper: softmax(α))',
    label: 'L1 target of the μ term',
    live: true,
    page: true,
    help: 'μ term on softmax(α) (the paper; zero gradient) or on the logits α',
    default: 'softmax',
  },
  {
    key: 'dataWeight',
    flag: 'dataWeight',
    ...real(0, 1e6, 100),
    symbol: 'κ',
    paper: 'weight of L1(val) in L_arch (the paper: 1)',
    label: 'κ (data weight in L_arch)',
    live: false,
    page: true,
    help: 'weight of the validation L1 in L_arch',
    default: 1,
  },
  {
    key: 'regEpochs',
    flag: 'regEpochs',
    ...int(1, 10000),
    symbol: 'E',
    paper: 'E of Linear = e/E (eq. 6)',
    label: 'E (lin(e) ramp)',
    live: false,
    page: true,
    help: 'E of lin(e) = min(1, e/E)',
    cliDefault: "the preset's, or --epochs",
    default: 100,
  },
  {
    key: 'tMin',
    flag: 'tMin',
    ...real(0.001, 10, 0.01),
    symbol: 'Tmin',
    paper: 'EDE Tmin (IR-Net 0.1)',
    label: 'EDE Tmin',
    live: false,
    page: true,
    help: 'EDE temperature at the first epoch',
    default: 0.1,
  },
  {
    key: 'tMax',
    flag: 'tMax',
    ...real(0.1, 100, 0.1),
    symbol: 'Tmax',
    paper: 'EDE Tmax (IR-Net 10)',
    label: 'EDE Tmax',
    live: false,
    page: true,
    help: 'EDE temperature at the last epoch',
    default: 10,
  },
  {
    key: 'wLr',
    flag: 'wLr',
    ...real(1e-6, 1, 1e-4),
    symbol: null,
    paper: 'weight learning rate (Adam 1e-3)',
    label: 'weight lr',
    live: false,
    page: true,
    help: 'weight learning rate (Adam)',
    default: 1e-3,
  },
  {
    key: 'archLr',
    flag: 'archLr',
    ...real(1e-6, 1, 1e-4),
    symbol: null,
    paper: 'α/β learning rate (Adam 6e-4)',
    label: 'α/β lr',
    live: false,
    page: true,
    help: 'α/β learning rate (Adam, betas 0.5/0.999)',
    default: 6e-4,
  },
  {
    key: 'archWeightDecay',
    flag: 'archWd',
    ...real(0, 1, 1e-4),
    symbol: null,
    paper: 'α/β weight decay (1e-3)',
    label: 'α/β weight decay',
    live: false,
    page: true,
    help: 'α/β weight decay',
    default: 1e-3,
  },
  {
    key: 'alphaInitStd',
    flag: 'alphaInit',
    ...real(0, 10, 1e-3),
    symbol: null,
    paper: 'α initialisation std (DARTS 1e-3)',
    label: 'α init std',
    live: false,
    page: false,
    help: 'α init std (0 = exactly uniform)',
    default: 1e-3,
  },
  {
    key: 'splitSeed',
    flag: 'splitSeed',
    ...int(0, 2 ** 31 - 1),
    symbol: null,
    paper: 'seed of the 50/50 w-train/α-val image split',
    label: 'split seed',
    live: false,
    page: false,
    help: 'seed of the w-train/α-val image split',
    cliDefault: "the preset's, else --seed",
    default: undefined,
  },
];

export const PARAMS_BY_KEY = Object.fromEntries(SEARCH_PARAMS.map((p) => [p.key, p])) as Record<
  ParamKey,
  SearchParam
>;

/** The number rows, by key. */
export function numberParam(key: NumberParamKey): NumberParam {
  return PARAMS_BY_KEY[key] as NumberParam;
}

/** The settings that move during a run: exactly the fields of LiveSettings. */
export const LIVE_KEYS = SEARCH_PARAMS.filter((p) => p.live).map(
  (p) => p.key,
) as (keyof LiveSettings)[];

/** The live settings of a config (what Search starts from and setLive changes). */
export function liveSettingsOf(c: SearchConfig): LiveSettings {
  return Object.fromEntries(LIVE_KEYS.map((k) => [k, c[k]])) as unknown as LiveSettings;
}

/** `μ=0.8, ρ=0.2, l1Target=softmax`: settings as the logs write them. */
export function formatSettings(
  values: Partial<Record<ParamKey, unknown>>,
  keys: readonly ParamKey[] = Object.keys(values) as ParamKey[],
  sep = ', ',
): string {
  return keys
    .filter((k) => values[k] !== undefined)
    .map((k) => `${PARAMS_BY_KEY[k]?.symbol ?? k}=${String(values[k])}`)
    .join(sep);
}

/** The paper's (μ, ρ) pairs (Table 4). */
export const PAPER_MU_RHO: readonly { mu: number; rho: number }[] = [
  { mu: 0.2, rho: 0.8 },
  { mu: 0.5, rho: 0.5 },
  { mu: 0.8, rho: 0.2 },
];

/** The paper's configuration: every row's default (the `paper` preset). */
export function paperDefaults(): SearchConfig {
  const out: Record<string, unknown> = {};
  for (const p of SEARCH_PARAMS) if (p.default !== undefined) out[p.key] = p.default;
  return out as unknown as SearchConfig;
}

/**
 * Fields a config lacks filled with the table's defaults (configs saved before κ or the α
 * init std existed run with the paper's values); optional fields without one stay absent.
 */
export function withSearchDefaults(c: SearchConfig): SearchConfig {
  const out: Record<string, unknown> = { ...c };
  for (const p of SEARCH_PARAMS)
    if (out[p.key] === undefined && p.default !== undefined) out[p.key] = p.default;
  return out as unknown as SearchConfig;
}

/** Clamp and round a value into a number row's range; not a finite number gives undefined. */
export function coerceParam(p: NumberParam, v: number): number | undefined {
  if (!Number.isFinite(v)) return undefined;
  const c = Math.min(p.max, Math.max(p.min, v));
  return p.integer ? Math.round(c) : c;
}

/** Why a value does not fit its row (null: it fits). */
export function paramValueProblem(p: SearchParam, v: unknown): string | null {
  if (p.type === 'choice')
    return p.choices.includes(v as string | number)
      ? null
      : `must be one of ${p.choices.join(', ')}`;
  if (typeof v !== 'number' || !Number.isFinite(v)) return 'must be a number';
  if (p.integer && !Number.isInteger(v)) return 'must be a whole number';
  if (v < p.min || v > p.max) return `must be in ${p.min}..${p.max}`;
  return null;
}

export interface ConfigProblem {
  /** The settings involved (the CLI names their flags, the page their labels). */
  keys: ParamKey[];
  message: string;
}

/**
 * Everything that would make a search config fail or be meaningless: values outside their
 * rows, and the cross-field rules. Divisibility follows the method: C/k channels enter the
 * mixed op, and its binary convs are group convs over those channels. One validator for the
 * page (Play stays disabled and the problems are listed) and the CLI (a usage error).
 */
export function searchConfigProblems(c: SearchConfig): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  c = withSearchDefaults(c);
  for (const p of SEARCH_PARAMS) {
    const v = c[p.key];
    if (v === undefined && p.default === undefined) continue; // optional and absent
    const why = paramValueProblem(p, v);
    if (why) out.push({ keys: [p.key], message: `${p.label} (${String(v)}) ${why}` });
  }
  if (out.length) return out; // the cross-field rules assume valid numbers
  if (c.channels % c.k !== 0)
    out.push({
      keys: ['channels', 'k'],
      message: `channels C (${c.channels}) must be divisible by k (${c.k})`,
    });
  else if ((c.channels / c.k) % c.groups !== 0)
    out.push({
      keys: ['channels', 'k', 'groups'],
      message: `C/k (${c.channels / c.k}) must be divisible by groups (${c.groups})`,
    });
  if (c.tMin >= c.tMax)
    out.push({
      keys: ['tMin', 'tMax'],
      message: `EDE Tmin (${c.tMin}) must be below Tmax (${c.tMax})`,
    });
  if (c.warmupEpochs >= c.epochs)
    out.push({
      keys: ['warmupEpochs', 'epochs'],
      message: `warm-up (${c.warmupEpochs}) must be shorter than epochs (${c.epochs}), else α never moves`,
    });
  return out;
}
