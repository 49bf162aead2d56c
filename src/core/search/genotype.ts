import {
  PRIMITIVES,
  type Genotype,
  type L1Target,
  type LiveSettings,
  type Primitive,
  type SearchConfig,
} from './types';
import { presetOf } from './presets';
import { EDGES, isPrimitive, primitiveSpec } from './searchSpace';

/** Search metadata stored with an exported genotype (docs/design.md §2). */
export interface GenotypeSearchMeta {
  mu: number;
  rho: number;
  lambda: number;
  gamma: number;
  nu?: number;
  l1Target: L1Target;
  epochs: number;
  seed: number;
  channels: number;
  cells: number;
  k: number;
  groups?: number;
  /** Raw α logits [14][6] at the end of the search. */
  alpha: number[][];
  /** Edge gates g_ij [14] at the end of the search. */
  gates: number[];
  backend: string;
  seconds: number;
  /** The preset the run's config equals (absent: custom or written before presets). */
  preset?: string;
  /** κ, the data weight of L_arch (absent = 1, the paper's). */
  dataWeight?: number;
  archLr?: number;
}

export interface GenotypeJSON extends Genotype {
  format: 'srbnas-genotype';
  version: 1;
  scale: 2 | 3 | 4;
  searchSpace: string[];
  /** Absent in hand-written genotypes (e.g. one copied from a paper figure). */
  search?: GenotypeSearchMeta;
}

export function toGenotypeJSON(
  genotype: Genotype,
  scale: 2 | 3 | 4,
  search?: GenotypeSearchMeta,
): GenotypeJSON {
  const out: GenotypeJSON = {
    format: 'srbnas-genotype',
    version: 1,
    scale,
    normal: genotype.normal.map(([op, i]) => [op, i]),
    normal_concat: [...genotype.normal_concat],
    searchSpace: [...PRIMITIVES],
  };
  if (search) out.search = search;
  return out;
}

/**
 * The export of a search (CLI and page alike): the last derived genotype and the metadata of
 * DESIGN §2, from the run's config and its last snapshot's numbers.
 */
export function searchGenotypeJSON(
  c: SearchConfig,
  last: { genotype: Genotype; settings: LiveSettings; alpha: number[][]; gates: number[] },
  run: { backend: string; seconds: number },
): GenotypeJSON {
  const s = last.settings;
  const preset = presetOf(c);
  return toGenotypeJSON(last.genotype, c.scale, {
    mu: s.mu,
    rho: s.rho,
    lambda: s.lambda,
    gamma: s.gamma,
    nu: s.nu,
    l1Target: s.l1Target,
    epochs: c.epochs,
    seed: c.seed,
    channels: c.channels,
    cells: c.cells,
    k: c.k,
    groups: c.groups,
    alpha: last.alpha,
    gates: last.gates,
    backend: run.backend,
    seconds: Math.round(run.seconds * 10) / 10,
    ...(preset ? { preset } : {}),
    dataWeight: c.dataWeight ?? 1,
    archLr: c.archLr,
  });
}

export type ValidationResult =
  { ok: true; value: GenotypeJSON } | { ok: false; field: string; message: string };

const isObj = (x: unknown): x is Record<string, unknown> =>
  typeof x === 'object' && x !== null && !Array.isArray(x);
const isFiniteNum = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

class Invalid extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}
function fail(field: string, message: string): never {
  throw new Invalid(field, message);
}

function checkNumberMatrix(x: unknown, field: string, rows: number, cols: number | null): void {
  if (!Array.isArray(x) || x.length !== rows) fail(field, `must be an array of ${rows} entries`);
  x.forEach((row, e) => {
    if (cols === null) {
      if (!isFiniteNum(row)) fail(`${field}[${e}]`, 'must be a finite number');
    } else {
      if (!Array.isArray(row) || row.length !== cols)
        fail(`${field}[${e}]`, `must be an array of ${cols} numbers`);
      row.forEach((v, o) => {
        if (!isFiniteNum(v)) fail(`${field}[${e}][${o}]`, 'must be a finite number');
      });
    }
  });
}

function checkSearch(s: unknown): GenotypeSearchMeta {
  if (!isObj(s)) fail('search', 'must be an object');
  for (const k of ['mu', 'rho', 'lambda', 'gamma', 'seconds'] as const)
    if (!isFiniteNum(s[k])) fail(`search.${k}`, 'must be a finite number');
  for (const k of ['nu', 'groups', 'dataWeight', 'archLr'] as const)
    if (s[k] !== undefined && !isFiniteNum(s[k])) fail(`search.${k}`, 'must be a finite number');
  if (s.preset !== undefined && typeof s.preset !== 'string')
    fail('search.preset', 'must be a string');
  for (const k of ['epochs', 'seed', 'channels', 'cells', 'k'] as const)
    if (!Number.isInteger(s[k])) fail(`search.${k}`, 'must be an integer');
  if (s.l1Target !== 'softmax' && s.l1Target !== 'logits')
    fail('search.l1Target', "must be 'softmax' or 'logits'");
  if (typeof s.backend !== 'string') fail('search.backend', 'must be a string');
  checkNumberMatrix(s.alpha, 'search.alpha', EDGES, PRIMITIVES.length);
  checkNumberMatrix(s.gates, 'search.gates', EDGES, null);
  return s as unknown as GenotypeSearchMeta;
}

/** Validate an imported genotype; a rejection names the offending field. */
export function validateGenotypeJSON(x: unknown): ValidationResult {
  try {
    if (!isObj(x)) fail('(root)', 'must be a JSON object');
    if (x.format !== 'srbnas-genotype') fail('format', `must be "srbnas-genotype"`);
    if (x.version !== 1)
      fail('version', `unsupported version ${JSON.stringify(x.version)} (expected 1)`);
    if (x.scale !== 2 && x.scale !== 3 && x.scale !== 4) fail('scale', 'must be 2, 3 or 4');
    if (!Array.isArray(x.searchSpace) || x.searchSpace.length === 0)
      fail('searchSpace', 'must be a non-empty array of primitive names');
    x.searchSpace.forEach((p, i) => {
      if (!isPrimitive(p))
        fail(
          `searchSpace[${i}]`,
          `unknown primitive ${JSON.stringify(p)} (known: ${PRIMITIVES.join(', ')})`,
        );
    });
    const space = x.searchSpace as string[];
    if (!Array.isArray(x.normal) || x.normal.length !== 8)
      fail('normal', 'must be an array of 8 [op, input] pairs (2 per intermediate node)');
    const normal: [Primitive, number][] = [];
    x.normal.forEach((pair, p) => {
      const f = `normal[${p}]`;
      if (!Array.isArray(pair) || pair.length !== 2) fail(f, 'must be an [op, input] pair');
      const [op, input] = pair as unknown[];
      if (!isPrimitive(op)) fail(`${f}[0]`, `unknown op ${JSON.stringify(op)}`);
      if (!space.includes(op)) fail(`${f}[0]`, `op '${op}' is not in searchSpace`);
      const node = Math.floor(p / 2);
      if (!Number.isInteger(input) || (input as number) < 0 || (input as number) > node + 1)
        fail(`${f}[1]`, `input of node ${node + 2} must be an integer in 0..${node + 1}`);
      normal.push([op, input as number]);
    });
    for (let j = 0; j < 4; j++)
      if (normal[2 * j][1] === normal[2 * j + 1][1])
        fail(`normal[${2 * j + 1}][1]`, `node ${j + 2} uses input ${normal[2 * j][1]} twice`);
    if (
      !Array.isArray(x.normal_concat) ||
      x.normal_concat.length !== 4 ||
      x.normal_concat.some((v, i) => v !== i + 2)
    )
      fail('normal_concat', 'must be [2, 3, 4, 5]');
    const value: GenotypeJSON = {
      format: 'srbnas-genotype',
      version: 1,
      scale: x.scale,
      normal,
      normal_concat: [2, 3, 4, 5],
      searchSpace: [...space],
    };
    if (x.search !== undefined) value.search = checkSearch(x.search);
    return { ok: true, value };
  } catch (e) {
    if (e instanceof Invalid) return { ok: false, field: e.field, message: e.message };
    throw e;
  }
}

/**
 * Parameters of one binary op at `channels` in/out with `groups` (Binary op of docs/design.md §2):
 * latent weights k·k·(C/g)·C, threshold τ (C) and scale s (C). Identity: 0.
 * Checked against createBinaryOp(...).params in genotype.test.ts.
 */
export function opParamCount(p: Primitive, channels: number, groups: number): number {
  const s = primitiveSpec(p, groups);
  if (s.kind === 'identity') return 0;
  const k = s.spec.kernel;
  return k * k * (channels / groups) * channels + 2 * channels;
}

/** Breakdown of the evaluation network's parameters (binary = latent weights of binary convs). */
export function derivedParamBreakdown(
  genotype: Genotype,
  channels: number,
  cells: number,
  scale: number,
  groups: number,
): { total: number; binaryWeights: number; fullPrecision: number } {
  const C = channels;
  const conv = (cin: number, cout: number, k: number) => k * k * cin * cout + cout; // + bias
  let binaryWeights = 0;
  let cellFP = 0;
  for (const [op] of genotype.normal) {
    const n = opParamCount(op, C, groups);
    const s = primitiveSpec(op, groups);
    const w = s.kind === 'conv' ? s.spec.kernel ** 2 * (C / groups) * C : 0;
    binaryWeights += w;
    cellFP += n - w;
  }
  cellFP += conv(genotype.normal_concat.length * C, C, 1);
  const macroFP = conv(3, C, 3) + conv(C, C, 3) + conv(C, 3 * scale * scale, 3);
  const fullPrecision = cells * cellFP + macroFP;
  return {
    total: cells * binaryWeights + fullPrecision,
    binaryWeights: cells * binaryWeights,
    fullPrecision,
  };
}

/** Parameters of the evaluation network: N derived cells at full C plus the macro FP convs. */
export function derivedParamCount(
  genotype: Genotype,
  channels: number,
  cells: number,
  scale: number,
  groups: number,
): number {
  return derivedParamBreakdown(genotype, channels, cells, scale, groups).total;
}
