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
