import { argmax, deriveGenotype, entropyRows, softmaxRows } from './derive';
import type { ArchGradSplit, Genotype } from './types';

/**
 * How much a search's result was decided by the data (issue 10): pure functions over the
 * snapshots of a search log (step 0 = the initialisation, see Search.initialSnapshot). A search
 * that "keeps its random initialisation" has a high init agreement, a small max|p − 1/6| and
 * runs of different seeds that agree no more than chance (1/6 per edge).
 */

/** What the report needs of a snapshot (a log line). */
export interface SignalSnapshot {
  step: number;
  alpha: number[][];
  gates: number[];
  archGrad?: ArchGradSplit;
}

export interface RunSignal {
  steps: number;
  archSteps: number;
  /** Fraction of edges whose final argmax op equals the step-0 argmax (chance ≈ 1/|O|). */
  initAgreement: number;
  /** Fraction of the derived cell's 8 (op, input) pairs already in the step-0 genotype. */
  initGenotypeAgreement: number;
  /** max over edges, ops of |p − 1/|O||. */
  maxDeviation: number;
  /** Mean over edges of the entropy of p, divided by ln |O| (1 = uniform, 0 = one-hot). */
  normalisedEntropy: number;
  /** How many of the 8 kept pairs are skip_connect. */
  skips: number;
  genotype: Genotype;
  /** The α-gradient split (absent when the log has no archGrad). */
  gradients?: GradientSignal;
}

export interface GradientSignal {
  /**
   * RMS over steps, edges and ops of the α gradient's data and regulariser parts, centred per
   * edge (softmax ignores a common shift, so only differences between ops move p).
   */
  dataRms: number;
  regRms: number;
  /** dataRms / (dataRms + regRms): the data's share of what moves α. */
  dataShare: number;
  /** Same per quarter of the α/β steps (the regulariser ramps up with lin(e)). */
  quarters: { dataRms: number; regRms: number }[];
  /**
   * Consistency of the data gradient: |Σ_t g| / Σ_t |g| averaged over α entries (1 = every step
   * pushes the same way, ~1/√T for noise).
   */
  dataConsistency: number;
}

export function maxDeviation(p: number[][]): number {
  let m = 0;
  for (const row of p) for (const x of row) m = Math.max(m, Math.abs(x - 1 / row.length));
  return m;
}

const centre = (rows: number[][]) =>
  rows.map((r) => {
    const m = r.reduce((a, b) => a + b, 0) / r.length;
    return r.map((x) => x - m);
  });

function rms(mats: number[][][]): number {
  let s = 0;
  let n = 0;
  for (const m of mats)
    for (const r of m)
      for (const x of r) {
        s += x * x;
        n++;
      }
  return n ? Math.sqrt(s / n) : 0;
}

export function gradientSignal(splits: ArchGradSplit[]): GradientSignal | undefined {
  if (!splits.length) return undefined;
  const data = splits.map((g) => centre(g.dataAlpha));
  const reg = splits.map((g) => centre(g.regAlpha));
  const dataRms = rms(data);
  const regRms = rms(reg);
  const quarters = [0, 1, 2, 3].map((q) => {
    const a = Math.floor((q * splits.length) / 4);
    const b = Math.floor(((q + 1) * splits.length) / 4);
    return { dataRms: rms(data.slice(a, b)), regRms: rms(reg.slice(a, b)) };
  });
  let cons = 0;
  let entries = 0;
  for (let e = 0; e < data[0].length; e++)
    for (let o = 0; o < data[0][e].length; o++) {
      let sum = 0;
      let abs = 0;
      for (const d of data) {
        sum += d[e][o];
        abs += Math.abs(d[e][o]);
      }
      if (abs > 0) {
        cons += Math.abs(sum) / abs;
        entries++;
      }
    }
  return {
    dataRms,
    regRms,
    dataShare: dataRms + regRms > 0 ? dataRms / (dataRms + regRms) : 0,
    quarters,
    dataConsistency: entries ? cons / entries : 0,
  };
}

/** Fraction of equal positions of two equally long lists. */
function agreement<T>(a: T[], b: T[]): number {
  let same = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === b[i]) same++;
  return a.length ? same / a.length : 0;
}

const pairKeys = (g: Genotype) => {
  // Node j's two pairs are entries 2j and 2j+1 (in rank order); compare as sets per node.
  const keys: string[] = [];
  g.normal.forEach(([op, input], i) => keys.push(`${Math.floor(i / 2)}:${input}:${op}`));
  return keys;
};
const edgeKeys = (g: Genotype) => g.normal.map(([, input], i) => `${Math.floor(i / 2)}:${input}`);

function setAgreement(a: string[], b: string[]): number {
  const sb = new Set(b);
  return a.length ? a.filter((k) => sb.has(k)).length / a.length : 0;
}

/** The signal of one search log: `snaps[0]` must be the step-0 snapshot. */
export function runSignal(snaps: SignalSnapshot[]): RunSignal {
  if (!snaps.length) throw new Error('empty search log');
  const first = snaps[0];
  if (first.step !== 0)
    throw new Error(
      `the log's first line is step ${first.step}, not the step-0 snapshot (logs written before the step-0 line existed cannot be compared with their initialisation)`,
    );
  const last = snaps[snaps.length - 1];
  const p0 = softmaxRows(first.alpha);
  const p = softmaxRows(last.alpha);
  const g0 = deriveGenotype(p0, first.gates);
  const g = deriveGenotype(p, last.gates);
  const ent = entropyRows(p);
  const lnO = Math.log(p[0].length);
  const splits = snaps.flatMap((s) => (s.archGrad ? [s.archGrad] : []));
  return {
    steps: last.step,
    archSteps: splits.length,
    initAgreement: agreement(p0.map(argmax), p.map(argmax)),
    initGenotypeAgreement: setAgreement(pairKeys(g), pairKeys(g0)),
    maxDeviation: maxDeviation(p),
    normalisedEntropy: ent.reduce((a, b) => a + b, 0) / ent.length / lnO,
    skips: g.normal.filter(([op]) => op === 'skip_connect').length,
    genotype: g,
    gradients: gradientSignal(splits),
  };
}

export interface CrossRunSignal {
  /** Mean over run pairs of the fraction of edges with the same final argmax op. */
  opAgreement: number;
  /** Mean over run pairs of the fraction of kept edges (node, input) they share. */
  keptEdgeAgreement: number;
  /** Mean over run pairs of the fraction of derived (node, input, op) pairs they share. */
  genotypeAgreement: number;
  pairs: { a: number; b: number; op: number; keptEdges: number; genotype: number }[];
}

/** Agreement across runs (e.g. seeds): what a data-driven search should give consistently. */
export function crossRunSignal(runs: { final: SignalSnapshot }[]): CrossRunSignal {
  const pairs: CrossRunSignal['pairs'] = [];
  const derived = runs.map((r) => {
    const p = softmaxRows(r.final.alpha);
    return { ops: p.map(argmax), g: deriveGenotype(p, r.final.gates) };
  });
  for (let a = 0; a < runs.length; a++)
    for (let b = a + 1; b < runs.length; b++)
      pairs.push({
        a,
        b,
        op: agreement(derived[a].ops, derived[b].ops),
        keptEdges: setAgreement(edgeKeys(derived[a].g), edgeKeys(derived[b].g)),
        genotype: setAgreement(pairKeys(derived[a].g), pairKeys(derived[b].g)),
      });
  const mean = (f: (x: CrossRunSignal['pairs'][number]) => number) =>
    pairs.length ? pairs.reduce((s, x) => s + f(x), 0) / pairs.length : NaN;
  return {
    opAgreement: mean((x) => x.op),
    keptEdgeAgreement: mean((x) => x.keptEdges),
    genotypeAgreement: mean((x) => x.genotype),
    pairs,
  };
}
