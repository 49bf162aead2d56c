import { describe, expect, it } from 'vitest';
import { randomGenotype } from './randomGenotype';
import { PRIMITIVES } from './types';

describe('randomGenotype', () => {
  it('follows the cell rules: 2 distinct earlier inputs per node, ops from the six', () => {
    for (let seed = 0; seed < 200; seed++) {
      const g = randomGenotype(seed);
      expect(g.normal.length).toBe(8);
      for (let j = 0; j < 4; j++) {
        const [[opA, a], [opB, b]] = g.normal.slice(2 * j, 2 * j + 2);
        expect(a).not.toBe(b);
        for (const i of [a, b]) expect(i >= 0 && i < j + 2).toBe(true);
        expect(PRIMITIVES).toContain(opA);
        expect(PRIMITIVES).toContain(opB);
      }
    }
  });

  it('is seeded and roughly uniform over ops and input pairs', () => {
    expect(randomGenotype(7)).toEqual(randomGenotype(7));
    expect(randomGenotype(7)).not.toEqual(randomGenotype(8));
    const ops = new Map<string, number>();
    const lastNodePairs = new Map<string, number>();
    const N = 3000;
    for (let seed = 0; seed < N; seed++) {
      const g = randomGenotype(seed);
      for (const [op] of g.normal) ops.set(op, (ops.get(op) ?? 0) + 1);
      const pair = [g.normal[6][1], g.normal[7][1]].sort().join(',');
      lastNodePairs.set(pair, (lastNodePairs.get(pair) ?? 0) + 1);
    }
    // 8 ops per cell → 4000 per primitive expected; the last node has 5 inputs: 10 unordered
    // pairs, 300 each.
    for (const p of PRIMITIVES) expect(Math.abs(ops.get(p)! - 4000)).toBeLessThan(300);
    expect(lastNodePairs.size).toBe(10);
    for (const c of lastNodePairs.values()) expect(Math.abs(c - 300)).toBeLessThan(80);
  });
});

describe('randomGenotype output', () => {
  it('concatenates the four intermediate nodes, as a derived cell does', () => {
    for (const seed of [0, 1, 99]) expect(randomGenotype(seed).normal_concat).toEqual([2, 3, 4, 5]);
  });
});
