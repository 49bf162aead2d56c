import { beforeAll, describe, expect, it } from 'vitest';
import { useWasm } from '../nn/testBackend';
import { gatePrior } from './edgeGates';
import { EDGES, isPrimitive, NODES, nodeEdges, primitiveSpec } from './searchSpace';
import { checkSupernetConfig, Supernet, type SupernetConfig } from './supernet';
import { PRIMITIVES } from './types';

/** The search space (Table 1, docs/design.md §2.1) and the supernet's settings checks. */
beforeAll(useWasm);

describe('search space', () => {
  it('Table 1: kernel, dilation and groups of each op; skip_connect is the identity', () => {
    expect(PRIMITIVES.map((p) => primitiveSpec(p, 4))).toEqual([
      { kind: 'conv', spec: { kernel: 3, dilation: 2, groups: 4 } },
      { kind: 'conv', spec: { kernel: 3, dilation: 1, groups: 4 } },
      { kind: 'conv', spec: { kernel: 5, dilation: 2, groups: 4 } },
      { kind: 'conv', spec: { kernel: 5, dilation: 1, groups: 4 } },
      { kind: 'conv', spec: { kernel: 7, dilation: 1, groups: 4 } },
      { kind: 'identity' },
    ]);
    expect(() => primitiveSpec('max_pool_3x3' as never, 4)).toThrow(
      "unknown primitive 'max_pool_3x3'",
    );
    expect(PRIMITIVES.every(isPrimitive)).toBe(true);
    expect([isPrimitive('none'), isPrimitive(3), isPrimitive(undefined)]).toEqual([
      false,
      false,
      false,
    ]);
  });

  it('DARTS edge order: node j has inputs 0..j+1 on consecutive edges, 14 in all', () => {
    const all = Array.from({ length: NODES }, (_, j) => nodeEdges(j));
    expect(all.map((es) => es.map((e) => e.input))).toEqual([
      [0, 1],
      [0, 1, 2],
      [0, 1, 2, 3],
      [0, 1, 2, 3, 4],
    ]);
    expect(all.flat().map((e) => e.edge)).toEqual(Array.from({ length: EDGES }, (_, i) => i));
  });

  it('gate priors b_j = logit(2/n_j): 2/3 → ln 2, 2/4 → 0, 2/5 → ln(2/3)', () => {
    expect(gatePrior(3)).toBeCloseTo(Math.log(2), 12);
    expect(gatePrior(4)).toBe(0);
    expect(gatePrior(5)).toBeCloseTo(Math.log(2 / 3), 12);
  });
});

describe('supernet settings', () => {
  const ok: SupernetConfig = { scale: 2, channels: 16, cells: 1, k: 4, groups: 2, seed: 1 };

  it('refuses channel arithmetic that does not divide, naming the setting', () => {
    expect(() => checkSupernetConfig(ok)).not.toThrow();
    const bad = (c: Partial<SupernetConfig>) => () => checkSupernetConfig({ ...ok, ...c });
    expect(bad({ channels: 0 })).toThrow('channels must be a positive integer, got 0');
    expect(bad({ cells: 1.5 })).toThrow('cells must be a positive integer, got 1.5');
    expect(bad({ k: 0 })).toThrow('k must be a positive integer, got 0');
    expect(bad({ groups: -2 })).toThrow('groups must be a positive integer, got -2');
    expect(bad({ k: 3 })).toThrow('channels (16) must be divisible by k (3)');
    expect(bad({ k: 8, groups: 4 })).toThrow('channels/k (2) must be divisible by groups (4)');
  });

  it('the constructor checks its settings before it builds anything', () => {
    expect(() => new Supernet({ ...ok, k: 3 })).toThrow('channels (16) must be divisible by k (3)');
  });
});
