import { describe, expect, it } from 'vitest';
import {
  derivedParamBreakdown,
  derivedParamCount,
  searchGenotypeJSON,
  toGenotypeJSON,
  validateGenotypeJSON,
} from './genotype';
import { DEMO_CONFIG, PAPER_CONFIG } from './presets';
import { PRIMITIVES, type Genotype, type SearchConfig } from './types';

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

describe('genotype JSON: what each rejection says', () => {
  const good = () =>
    JSON.parse(JSON.stringify(toGenotypeJSON(G, 3, META))) as Record<string, unknown> & {
      normal: unknown[];
      search: Record<string, unknown>;
    };
  const withSearch = (patch: Record<string, unknown>) => {
    const j = good();
    return { ...j, search: { ...j.search, ...patch } };
  };
  const withPair = (p: number, pair: unknown) => {
    const j = good();
    return { ...j, normal: j.normal.map((x, i) => (i === p ? pair : x)) };
  };
  const reject = (x: unknown) => {
    const r = validateGenotypeJSON(x);
    expect(r.ok).toBe(false);
    return r.ok ? null : `${r.field} | ${r.message}`;
  };

  it('names the field and says what is wrong with the root, format, version, scale', () => {
    expect(reject(42)).toBe('(root) | (root): must be a JSON object');
    expect(reject(null)).toBe('(root) | (root): must be a JSON object');
    expect(reject([good()])).toBe('(root) | (root): must be a JSON object');
    expect(reject({ ...good(), format: 'darts' })).toBe(
      'format | format: must be "srbnas-genotype"',
    );
    expect(reject({ ...good(), version: 2 })).toBe(
      'version | version: unsupported version 2 (expected 1)',
    );
    expect(reject({ ...good(), scale: 5 })).toBe('scale | scale: must be 2, 3 or 4');
  });

  it('the search space must be a non-empty list of known primitives', () => {
    const msg = 'searchSpace | searchSpace: must be a non-empty array of primitive names';
    expect(reject({ ...good(), searchSpace: [] })).toBe(msg);
    const { searchSpace: _omit, ...noSpace } = good();
    expect(reject(noSpace)).toBe(msg);
    expect(reject({ ...good(), searchSpace: ['bin_conv_3x3', 'max_pool_3x3'] })).toBe(
      'searchSpace[1] | searchSpace[1]: unknown primitive "max_pool_3x3" (known: ' +
        'bin_dil_conv_3x3, bin_conv_3x3, bin_dil_conv_5x5, bin_conv_5x5, bin_conv_7x7, skip_connect)',
    );
  });

  it('normal: 8 [op, input] pairs, ops known and in the search space', () => {
    expect(reject({ ...good(), normal: good().normal.slice(0, 7) })).toBe(
      'normal | normal: must be an array of 8 [op, input] pairs (2 per intermediate node)',
    );
    expect(reject(withPair(2, ['bin_conv_3x3']))).toBe(
      'normal[2] | normal[2]: must be an [op, input] pair',
    );
    expect(reject(withPair(2, 'bin_conv_3x3'))).toBe(
      'normal[2] | normal[2]: must be an [op, input] pair',
    );
    expect(reject(withPair(3, ['sep_conv_3x3', 0]))).toBe(
      'normal[3][0] | normal[3][0]: unknown op "sep_conv_3x3"',
    );
    // A known op that the file's own search space leaves out.
    const j = good();
    const narrow = { ...j, searchSpace: PRIMITIVES.filter((p) => p !== 'bin_conv_7x7') };
    expect(reject(narrow)).toBe(
      "normal[4][0] | normal[4][0]: op 'bin_conv_7x7' is not in searchSpace",
    );
    // ... and accepts it once the op's pair uses another one.
    const r = validateGenotypeJSON({
      ...narrow,
      normal: j.normal.map((x, i) => (i === 4 ? ['bin_conv_5x5', 3] : x)),
    });
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.value.searchSpace).toEqual(narrow.searchSpace);
  });

  it('inputs: integers in 0..node+1 (both ends allowed), distinct within a node', () => {
    // normal[2] and normal[3] belong to node 3, which may read states 0..2.
    const range = 'normal[2][1] | normal[2][1]: input of node 3 must be an integer in 0..2';
    expect(reject(withPair(2, ['bin_conv_3x3', 3]))).toBe(range);
    expect(reject(withPair(2, ['bin_conv_3x3', -1]))).toBe(range);
    expect(reject(withPair(2, ['bin_conv_3x3', 1.5]))).toBe(range);
    expect(reject(withPair(2, ['bin_conv_3x3', '1']))).toBe(range);
    expect(reject(withPair(7, ['bin_conv_3x3', 5]))).toBe(
      'normal[7][1] | normal[7][1]: input of node 5 must be an integer in 0..4',
    );
    // G itself uses the upper ends (normal[2] reads 2, normal[6] reads 4); the lower end:
    expect(validateGenotypeJSON(withPair(4, ['bin_conv_3x3', 0])).ok).toBe(true);
    expect(validateGenotypeJSON(withPair(2, ['bin_conv_3x3', 1])).ok).toBe(true);
    expect(reject(withPair(1, ['skip_connect', 1]))).toBe(
      'normal[1][1] | normal[1][1]: node 2 uses input 1 twice',
    );
    expect(reject(withPair(5, ['skip_connect', 3]))).toBe(
      'normal[5][1] | normal[5][1]: node 4 uses input 3 twice',
    );
  });

  it('normal_concat must be exactly [2, 3, 4, 5]', () => {
    const msg = 'normal_concat | normal_concat: must be [2, 3, 4, 5]';
    expect(reject({ ...good(), normal_concat: [2, 3, 4, 6] })).toBe(msg);
    expect(reject({ ...good(), normal_concat: [5, 4, 3, 2] })).toBe(msg);
    expect(reject({ ...good(), normal_concat: [2, 3, 4, 5, 6] })).toBe(msg);
    expect(reject({ ...good(), normal_concat: '2345' })).toBe(msg);
  });

  it('search metadata: an object whose numbers are finite and counts integers', () => {
    expect(reject({ ...good(), search: null })).toBe('search | search: must be an object');
    expect(reject({ ...good(), search: [1] })).toBe('search | search: must be an object');
    expect(reject({ ...good(), search: 'x' })).toBe('search | search: must be an object');
    for (const k of ['mu', 'rho', 'lambda', 'gamma', 'seconds']) {
      expect(reject(withSearch({ [k]: undefined }))).toBe(
        `search.${k} | search.${k}: must be a finite number`,
      );
      // Not from JSON text, but from a caller handing over objects: non-finite numbers.
      expect(reject(withSearch({ [k]: Infinity }))).toBe(
        `search.${k} | search.${k}: must be a finite number`,
      );
      expect(reject(withSearch({ [k]: NaN }))).toBe(
        `search.${k} | search.${k}: must be a finite number`,
      );
    }
    for (const k of ['nu', 'groups', 'dataWeight', 'archLr'])
      expect(reject(withSearch({ [k]: '1' }))).toBe(
        `search.${k} | search.${k}: must be a finite number`,
      );
    for (const k of ['epochs', 'seed', 'channels', 'cells', 'k'])
      expect(reject(withSearch({ [k]: 2.5 }))).toBe(
        `search.${k} | search.${k}: must be an integer`,
      );
    expect(reject(withSearch({ preset: 3 }))).toBe(
      'search.preset | search.preset: must be a string',
    );
    expect(reject(withSearch({ l1Target: 'l2' }))).toBe(
      "search.l1Target | search.l1Target: must be 'softmax' or 'logits'",
    );
    expect(reject(withSearch({ backend: 1 }))).toBe(
      'search.backend | search.backend: must be a string',
    );
  });

  it('search metadata: optional fields may be absent or valid; both L1 targets are accepted', () => {
    const j = good();
    const { nu: _n, groups: _g, ...bare } = j.search;
    expect(validateGenotypeJSON({ ...j, search: bare }).ok).toBe(true);
    const full = withSearch({
      preset: 'demo',
      dataWeight: 1e5,
      archLr: 6e-3,
      l1Target: 'logits',
    });
    const r = validateGenotypeJSON(full);
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.value.search).toEqual(full.search);
  });

  it('search metadata: alpha is 14 rows of 6 finite numbers, gates 14 finite numbers', () => {
    const alpha = () => structuredClone(good().search.alpha) as unknown[];
    expect(reject(withSearch({ alpha: alpha().slice(1) }))).toBe(
      'search.alpha | search.alpha: must be an array of 14 entries',
    );
    const short = alpha();
    short[2] = [0, 0, 0];
    expect(reject(withSearch({ alpha: short }))).toBe(
      'search.alpha[2] | search.alpha[2]: must be an array of 6 numbers',
    );
    const flat = alpha();
    flat[2] = 5;
    expect(reject(withSearch({ alpha: flat }))).toBe(
      'search.alpha[2] | search.alpha[2]: must be an array of 6 numbers',
    );
    const nonFinite = alpha() as number[][];
    nonFinite[4][2] = NaN;
    expect(reject(withSearch({ alpha: nonFinite }))).toBe(
      'search.alpha[4][2] | search.alpha[4][2]: must be a finite number',
    );
    expect(reject(withSearch({ gates: [1, 1] }))).toBe(
      'search.gates | search.gates: must be an array of 14 entries',
    );
    const gates = [...META.gates] as unknown[];
    gates[3] = 'x';
    expect(reject(withSearch({ gates }))).toBe(
      'search.gates[3] | search.gates[3]: must be a finite number',
    );
    gates[3] = [0.5];
    expect(reject(withSearch({ gates }))).toBe(
      'search.gates[3] | search.gates[3]: must be a finite number',
    );
  });

  it('a failure that is not a validation problem propagates instead of naming a field', () => {
    const hostile = {
      get format(): string {
        throw new RangeError('boom');
      },
    };
    expect(() => validateGenotypeJSON(hostile)).toThrow('boom');
  });
});

describe('toGenotypeJSON / searchGenotypeJSON', () => {
  it('a hand-written genotype has no search field at all', () => {
    const j = toGenotypeJSON(G, 2);
    expect('search' in j).toBe(false);
    expect(j).toEqual({
      format: 'srbnas-genotype',
      version: 1,
      scale: 2,
      normal: G.normal,
      normal_concat: [2, 3, 4, 5],
      searchSpace: [...PRIMITIVES],
    });
  });

  const last = {
    genotype: G,
    settings: {
      mu: 0.5,
      rho: 0.5,
      lambda: 1.5,
      gamma: 0.8,
      nu: 0.5,
      l1Target: 'logits' as const,
    },
    alpha: META.alpha,
    gates: META.gates,
  };

  it('exports the live settings, the config sizes, the backend and seconds to 0.1 s', () => {
    const c = { ...DEMO_CONFIG, seed: 9, scale: 4 as const };
    const j = searchGenotypeJSON(c, last, { backend: 'wasm', seconds: 123.456 });
    expect(j.scale).toBe(4);
    expect(j.normal).toEqual(G.normal);
    expect(j.search).toEqual({
      mu: 0.5,
      rho: 0.5,
      lambda: 1.5,
      gamma: 0.8,
      nu: 0.5,
      l1Target: 'logits',
      epochs: 10,
      seed: 9,
      channels: 16,
      cells: 3,
      k: 4,
      groups: 2,
      alpha: META.alpha,
      gates: META.gates,
      backend: 'wasm',
      seconds: 123.5,
      preset: 'demo',
      dataWeight: 1e5,
      archLr: 6e-3,
    });
    expect(validateGenotypeJSON(JSON.parse(JSON.stringify(j)))).toEqual({ ok: true, value: j });
  });

  it('a custom config has no preset; a config without κ records the paper value 1', () => {
    const c = { ...PAPER_CONFIG, mu: 0.5 } as Partial<SearchConfig>;
    delete c.dataWeight;
    const j = searchGenotypeJSON(c as SearchConfig, last, { backend: 'cpu', seconds: 0.04 });
    expect(j.search && 'preset' in j.search).toBe(false);
    expect(j.search?.dataWeight).toBe(1);
    expect(j.search?.seconds).toBe(0);
    expect(j.search?.backend).toBe('cpu');
  });
});

describe('derivedParamCount', () => {
  it('is the total of the breakdown', () => {
    expect(derivedParamCount(G, 64, 3, 3, 4)).toBe(derivedParamBreakdown(G, 64, 3, 3, 4).total);
    expect(derivedParamCount(G, 16, 1, 2, 2)).toBe(derivedParamBreakdown(G, 16, 1, 2, 2).total);
  });
});
