import { describe, expect, it } from 'vitest';
import { argmax, deriveGenotype, entropyRows, softmaxRows } from './derive';
import { PRIMITIVES } from './types';

const U = 1 / 6;
const uniform = () => Array.from({ length: 14 }, () => new Array<number>(6).fill(U));
const ones = () => new Array<number>(14).fill(1);
/** A row peaked on op `o` with max probability `m`. */
const peak = (o: number, m: number) => {
  const r = new Array<number>(6).fill((1 - m) / 5);
  r[o] = m;
  return r;
};

describe('deriveGenotype (DARTS _parse with gate weighting)', () => {
  it('uniform α, gates 1: ties keep the lowest inputs and the lowest op index', () => {
    const g = deriveGenotype(uniform(), ones());
    expect(g.normal).toEqual([
      ['bin_dil_conv_3x3', 0],
      ['bin_dil_conv_3x3', 1],
      ['bin_dil_conv_3x3', 0],
      ['bin_dil_conv_3x3', 1],
      ['bin_dil_conv_3x3', 0],
      ['bin_dil_conv_3x3', 1],
      ['bin_dil_conv_3x3', 0],
      ['bin_dil_conv_3x3', 1],
    ]);
    expect(g.normal_concat).toEqual([2, 3, 4, 5]);
  });

  it('picks the 2 strongest edges per node by max p, listed strongest first, argmax op on each', () => {
    const p = uniform();
    // Node 3 (index 2) has edges 5..8 (inputs 0..3): make inputs 3 and 2 strongest, 3 first.
    p[8] = peak(4, 0.6); // input 3 → bin_conv_7x7
    p[7] = peak(5, 0.5); // input 2 → skip_connect
    p[5] = peak(1, 0.3); // input 0, weaker
    const g = deriveGenotype(p, ones());
    expect(g.normal[4]).toEqual(['bin_conv_7x7', 3]);
    expect(g.normal[5]).toEqual(['skip_connect', 2]);
  });

  it('gates change the ranking: g · max p, not max p alone', () => {
    const p = uniform();
    // Node 2 (index 1) has edges 2..4 (inputs 0..2).
    p[2] = peak(3, 0.7); // strongest by p alone
    p[3] = peak(2, 0.5);
    p[4] = peak(0, 0.4);
    expect(deriveGenotype(p, ones()).normal.slice(2, 4)).toEqual([
      ['bin_conv_5x5', 0],
      ['bin_dil_conv_5x5', 1],
    ]);
    const gates = ones();
    gates[2] = 0.3; // 0.21
    gates[3] = 0.9; // 0.45
    gates[4] = 0.8; // 0.32
    expect(deriveGenotype(p, gates).normal.slice(2, 4)).toEqual([
      ['bin_dil_conv_5x5', 1],
      ['bin_dil_conv_3x3', 2],
    ]);
  });

  it('ties in score keep the lower input first; ties in p keep the lower op', () => {
    const p = uniform();
    // Node 5 (index 3), edges 9..13: inputs 4 and 1 tie at the top score, op tie on input 4.
    p[13] = [0.1, 0.1, 0.3, 0.3, 0.1, 0.1];
    p[10] = [0.3, 0.1, 0.1, 0.1, 0.1, 0.3];
    const g = deriveGenotype(p, ones());
    expect(g.normal[6]).toEqual(['bin_dil_conv_3x3', 1]);
    expect(g.normal[7]).toEqual(['bin_dil_conv_5x5', 4]);
  });

  it('only ever uses PRIMITIVES and valid inputs', () => {
    const p = softmaxRows(
      Array.from({ length: 14 }, (_, e) =>
        Array.from({ length: 6 }, (_, o) => Math.sin(e * 7 + o)),
      ),
    );
    const g = deriveGenotype(p, ones());
    g.normal.forEach(([op, i], k) => {
      expect(PRIMITIVES).toContain(op);
      expect(i).toBeLessThanOrEqual(Math.floor(k / 2) + 1);
    });
  });
});

describe('helpers', () => {
  it('argmax ties → lowest index', () => {
    expect(argmax([1, 3, 3, 2])).toBe(1);
  });
  it('softmax rows sum to 1 and entropy of uniform is ln 6', () => {
    const p = softmaxRows([
      [0, 0, 0, 0, 0, 0],
      [1000, 0, 0, 0, 0, 0],
    ]);
    expect(p[0].reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(p[1][0]).toBeCloseTo(1, 12);
    const h = entropyRows(p);
    expect(h[0]).toBeCloseTo(Math.log(6), 12);
    expect(h[1]).toBeCloseTo(0, 12);
  });
});
