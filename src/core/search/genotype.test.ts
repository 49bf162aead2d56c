import { describe, expect, it } from 'vitest';
import { derivedParamBreakdown, toGenotypeJSON, validateGenotypeJSON } from './genotype';
import { PRIMITIVES, type Genotype } from './types';

const G: Genotype = {
  normal: [
    ['bin_conv_3x3', 1],
    ['skip_connect', 0],
    ['bin_dil_conv_3x3', 2],
    ['bin_conv_5x5', 0],
    ['bin_conv_7x7', 3],
    ['bin_dil_conv_5x5', 1],
    ['skip_connect', 4],
    ['bin_conv_3x3', 2],
  ],
  normal_concat: [2, 3, 4, 5],
};
const META = {
  mu: 0.8,
  rho: 0.2,
  lambda: 1.5,
  gamma: 0.8,
  nu: 0.5,
  l1Target: 'softmax' as const,
  epochs: 10,
  seed: 1,
  channels: 64,
  cells: 3,
  k: 8,
  groups: 4,
  alpha: Array.from({ length: 14 }, (_, e) => Array.from({ length: 6 }, (_, o) => 0.01 * (e - o))),
  gates: Array.from({ length: 14 }, (_, e) => (e < 2 ? 1 : 0.5)),
  backend: 'wasm',
  seconds: 12.5,
};

describe('genotype JSON', () => {
  it('round trips through JSON text', () => {
    const j = toGenotypeJSON(G, 3, META);
    expect(j.format).toBe('srbnas-genotype');
    expect(j.searchSpace).toEqual([...PRIMITIVES]);
    const back = validateGenotypeJSON(JSON.parse(JSON.stringify(j)));
    expect(back).toEqual({ ok: true, value: j });
  });

  it('accepts a genotype without search metadata', () => {
    const r = validateGenotypeJSON(JSON.parse(JSON.stringify(toGenotypeJSON(G, 4))));
    expect(r.ok).toBe(true);
  });

  const bad: [string, (j: Record<string, unknown>) => unknown, string][] = [
    ['not an object', () => 42, '(root)'],
    ['format', (j) => ({ ...j, format: 'darts' }), 'format'],
    ['version', (j) => ({ ...j, version: 2 }), 'version'],
    ['scale', (j) => ({ ...j, scale: 5 }), 'scale'],
    [
      'searchSpace entry',
      (j) => ({ ...j, searchSpace: ['bin_conv_3x3', 'max_pool_3x3'] }),
      'searchSpace[1]',
    ],
    ['normal length', (j) => ({ ...j, normal: (j.normal as unknown[]).slice(0, 6) }), 'normal'],
    [
      'unknown op',
      (j) => ({
        ...j,
        normal: (j.normal as unknown[][]).map((p, i) => (i === 3 ? ['sep_conv_3x3', 0] : p)),
      }),
      'normal[3][0]',
    ],
    [
      'input out of range',
      (j) => ({
        ...j,
        normal: (j.normal as unknown[][]).map((p, i) => (i === 2 ? ['bin_conv_3x3', 3] : p)),
      }),
      'normal[2][1]',
    ],
    [
      'duplicate input in a node',
      (j) => ({
        ...j,
        normal: (j.normal as unknown[][]).map((p, i) => (i === 1 ? ['skip_connect', 1] : p)),
      }),
      'normal[1][1]',
    ],
    ['normal_concat', (j) => ({ ...j, normal_concat: [2, 3, 4] }), 'normal_concat'],
    [
      'alpha shape',
      (j) => ({ ...j, search: { ...(j.search as object), alpha: [[0, 0]] } }),
      'search.alpha',
    ],
    [
      'alpha value',
      (j) => {
        const s = structuredClone(j.search) as { alpha: unknown[][] };
        s.alpha[4][2] = 'x';
        return { ...j, search: s };
      },
      'search.alpha[4][2]',
    ],
    [
      'l1Target',
      (j) => ({ ...j, search: { ...(j.search as object), l1Target: 'l2' } }),
      'search.l1Target',
    ],
    [
      'gates',
      (j) => ({ ...j, search: { ...(j.search as object), gates: [1, 1] } }),
      'search.gates',
    ],
    [
      'epochs',
      (j) => ({ ...j, search: { ...(j.search as object), epochs: 1.5 } }),
      'search.epochs',
    ],
  ];
  it.each(bad)('rejects a bad %s naming the field', (_name, mutate, field) => {
    const j = JSON.parse(JSON.stringify(toGenotypeJSON(G, 3, META))) as Record<string, unknown>;
    const r = validateGenotypeJSON(mutate(j));
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.field).toBe(field);
      expect(r.message).toContain(field);
    }
  });
});

describe('derivedParamCount', () => {
  it('counts the evaluation network by hand for C=64, 3 cells, x3, groups 4', () => {
    // Binary latent weights per cell: 3x3 ·3 (9·16·64 each), 5x5 ·2 (25·16·64), 7x7 (49·16·64).
    const perCellBinary = (3 * 9 + 2 * 25 + 49) * 16 * 64;
    const perCellFP = 6 * 2 * 64 + (256 * 64 + 64); // τ and s of 6 binary ops + conv1x1
    const macro = 9 * 3 * 64 + 64 + (9 * 64 * 64 + 64) + (9 * 64 * 27 + 27);
    const b = derivedParamBreakdown(G, 64, 3, 3, 4);
    expect(b.binaryWeights).toBe(3 * perCellBinary);
    expect(b.fullPrecision).toBe(3 * perCellFP + macro);
    expect(b.total).toBe(b.binaryWeights + b.fullPrecision);
  });
});
