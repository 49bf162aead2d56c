import { describe, expect, it } from 'vitest';
import {
  crossRunSignal,
  gradientSignal,
  maxDeviation,
  runSignal,
  type SignalSnapshot,
} from './signal';
import type { ArchGradSplit } from './types';

/** α rows with a clear argmax `op` per edge (logit 2 there, 0 elsewhere). */
const alphaFor = (ops: number[]) =>
  ops.map((o) => Array.from({ length: 6 }, (_, i) => (i === o ? 2 : 0)));
// Distinct gates (no ties between edges): every node keeps its two highest-numbered inputs.
const gates = Array.from({ length: 14 }, (_, e) => (e < 2 ? 1 : 0.3 + 0.04 * e));
const snap = (step: number, ops: number[], archGrad?: ArchGradSplit): SignalSnapshot => ({
  step,
  alpha: alphaFor(ops),
  gates,
  archGrad,
});
const OPS_A = [0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 5, 0, 1];

describe('search signal', () => {
  it('init agreement counts edges whose final argmax is the step-0 argmax', () => {
    const final = OPS_A.map((o, e) => (e < 7 ? o : (o + 1) % 6)); // first 7 edges unchanged
    const r = runSignal([snap(0, OPS_A), snap(5, final)]);
    expect(r.steps).toBe(5);
    expect(r.initAgreement).toBeCloseTo(7 / 14, 12);
    const same = runSignal([snap(0, OPS_A), snap(5, OPS_A)]);
    expect(same.initAgreement).toBe(1);
    expect(same.initGenotypeAgreement).toBe(1);
  });

  it('max deviation and entropy of p', () => {
    // p = e²/(e² + 5) on the chosen op.
    const pTop = Math.exp(2) / (Math.exp(2) + 5);
    const r = runSignal([snap(0, OPS_A), snap(1, OPS_A)]);
    expect(r.maxDeviation).toBeCloseTo(pTop - 1 / 6, 12);
    const pLow = 1 / (Math.exp(2) + 5);
    const h = -(pTop * Math.log(pTop) + 5 * pLow * Math.log(pLow));
    expect(r.normalisedEntropy).toBeCloseTo(h / Math.log(6), 12);
    expect(maxDeviation([[1 / 6, 1 / 6, 1 / 6, 1 / 6, 1 / 6, 1 / 6]])).toBeCloseTo(0, 15);
  });

  it('refuses a log without its step-0 line', () => {
    expect(() => runSignal([snap(3, OPS_A)])).toThrow(/step-0/);
  });

  it('counts skips in the derived cell', () => {
    const r = runSignal([snap(0, OPS_A), snap(1, new Array(14).fill(5))]);
    expect(r.skips).toBe(8);
  });

  it('cross-run agreement of ops, kept edges and pairs', () => {
    const b = OPS_A.map((o, e) => (e % 2 ? o : (o + 3) % 6)); // odd edges agree
    const x = crossRunSignal([
      { final: snap(9, OPS_A) },
      { final: snap(9, OPS_A) },
      { final: snap(9, b) },
    ]);
    expect(x.pairs.length).toBe(3);
    expect(x.pairs[0].op).toBe(1);
    expect(x.pairs[1].op).toBeCloseTo(7 / 14, 12);
    expect(x.opAgreement).toBeCloseTo((1 + 0.5 + 0.5) / 3, 12);
    // Same gates and max p everywhere: the same edges are kept in all runs.
    expect(x.keptEdgeAgreement).toBe(1);
  });

  it('gradient split: RMS after centring per edge, data share, consistency', () => {
    const row = (v: number) => [v, -v, 0, 0, 0, 0];
    const mk = (d: number, r: number): ArchGradSplit => ({
      dataAlpha: Array.from({ length: 14 }, () => row(d)),
      regAlpha: Array.from({ length: 14 }, () => row(r).map((x) => x + 7)), // + a common shift
      dataBeta: new Array(14).fill(0),
      regBeta: new Array(14).fill(0),
    });
    // data ±1 alternating sign (consistency 0), reg 3 each step.
    const g = gradientSignal([mk(1, 3), mk(-1, 3), mk(1, 3), mk(-1, 3)])!;
    expect(g.dataRms).toBeCloseTo(Math.sqrt(2 / 6), 12);
    expect(g.regRms).toBeCloseTo(3 * Math.sqrt(2 / 6), 12);
    expect(g.dataShare).toBeCloseTo(0.25, 12);
    expect(g.dataConsistency).toBe(0);
    expect(gradientSignal([mk(1, 0), mk(1, 0)])!.dataConsistency).toBe(1);
    expect(gradientSignal([])).toBeUndefined();
  });
});

/** A split whose centred data / regulariser rows are ±d / ±r on ops 0 and 1 of every edge. */
const split = (d: number, r: number): ArchGradSplit => ({
  dataAlpha: Array.from({ length: 14 }, () => [d, -d, 0, 0, 0, 0]),
  regAlpha: Array.from({ length: 14 }, () => [r, -r, 0, 0, 0, 0]),
  dataBeta: new Array(14).fill(0),
  regBeta: new Array(14).fill(0),
});
/** RMS of one such split's centred rows: |v| · √(2/6). */
const rmsOf = (...vs: number[]) => Math.sqrt(vs.reduce((a, v) => a + v * v, 0) / vs.length / 3);

describe('search signal (more)', () => {
  it('quarters split the α/β steps as ⌊q·n/4⌋ … ⌊(q+1)·n/4⌋', () => {
    // n = 6: quarters are steps [0], [1, 2], [3], [4, 5].
    const g = gradientSignal([1, 2, 3, 4, 5, 6].map((d) => split(d, 2 * d)))!;
    const want = [[1], [2, 3], [4], [5, 6]];
    expect(g.quarters.length).toBe(4);
    g.quarters.forEach((q, i) => {
      expect(q.dataRms, `quarter ${i}`).toBeCloseTo(rmsOf(...want[i]), 12);
      expect(q.regRms, `quarter ${i}`).toBeCloseTo(2 * rmsOf(...want[i]), 12);
    });
  });

  it('all-zero gradients: data share 0, not NaN', () => {
    const g = gradientSignal([split(0, 0), split(0, 0)])!;
    expect(g.dataRms).toBe(0);
    expect(g.dataShare).toBe(0);
    expect(g.dataConsistency).toBe(0);
  });

  it('a run signal reads the gradient split of the snapshots that have one', () => {
    const r = runSignal([snap(0, OPS_A), snap(1, OPS_A), snap(2, OPS_A, split(1, 3))]);
    expect(r.archSteps).toBe(1);
    expect(r.gradients!.dataRms).toBeCloseTo(rmsOf(1), 12);
    expect(r.gradients!.dataShare).toBeCloseTo(0.25, 12);
    expect(runSignal([snap(0, OPS_A), snap(1, OPS_A)]).gradients).toBeUndefined();
  });

  it('refuses an empty log', () => {
    expect(() => runSignal([])).toThrow('empty search log');
  });

  it('counts only the skip_connect pairs of the derived cell', () => {
    // OPS_A keeps edges 0, 1, 3, 4, 7, 8, 12, 13 (ops 0, 1, 3, 4, 1, 2, 0, 1): no skip.
    expect(runSignal([snap(0, OPS_A), snap(1, OPS_A)]).skips).toBe(0);
    const oneSkip = OPS_A.map((o, e) => (e === 8 ? 5 : o));
    expect(runSignal([snap(0, OPS_A), snap(1, oneSkip)]).skips).toBe(1);
  });

  it('genotype agreement compares (input, op) pairs per node, in any rank order', () => {
    const base = snap(9, OPS_A);
    // Edge 1 more certain than edge 0: node 0 lists input 1 first, same pairs.
    const swappedAlpha: number[][] = alphaFor(OPS_A);
    swappedAlpha[1][OPS_A[1]] = 3;
    const swapped: SignalSnapshot = { step: 9, alpha: swappedAlpha, gates };
    // Another op on kept edge 13 (node 3, input 4): 7 of 8 pairs shared, all kept edges.
    const otherOp = snap(
      9,
      OPS_A.map((o, e) => (e === 13 ? (o + 2) % 6 : o)),
    );
    // Node 3 keeps input 0 (edge 9) instead of input 3 (edge 12).
    const otherEdge: SignalSnapshot = {
      step: 9,
      alpha: alphaFor(OPS_A),
      gates: gates.map((g, e) => (e === 9 ? 0.99 : g)),
    };
    const pair = (b: SignalSnapshot) => crossRunSignal([{ final: base }, { final: b }]);
    const s = pair(swapped);
    expect(s.pairs[0]).toEqual({ a: 0, b: 1, op: 1, keptEdges: 1, genotype: 1 });
    expect(s.genotypeAgreement).toBe(1);
    const o = pair(otherOp);
    expect(o.keptEdgeAgreement).toBe(1);
    expect(o.genotypeAgreement).toBe(7 / 8);
    expect(o.opAgreement).toBeCloseTo(13 / 14, 12);
    const e = pair(otherEdge);
    expect(e.keptEdgeAgreement).toBe(7 / 8);
    expect(e.genotypeAgreement).toBe(7 / 8);
    expect(e.opAgreement).toBe(1);
    // The same comparison against the step-0 genotype of a run.
    const init = { ...base, step: 0 };
    expect(runSignal([init, otherOp]).initGenotypeAgreement).toBe(7 / 8);
    expect(runSignal([init, swapped]).initGenotypeAgreement).toBe(1);
  });
});
