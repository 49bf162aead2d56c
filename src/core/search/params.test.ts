import { describe, expect, it } from 'vitest';
import {
  LIVE_KEYS,
  PARAMS_BY_KEY,
  SEARCH_PARAMS,
  coerceParam,
  formatSettings,
  liveSettingsOf,
  numberParam,
  paramValueProblem,
  searchConfigProblems,
  withSearchDefaults,
  type ParamKey,
} from './params';
import { PAPER_CONFIG, SEARCH_PRESETS, SEARCH_PRESET_NAMES } from './presets';
import type { LiveSettings, SearchConfig } from './types';

describe('the search settings table', () => {
  it("its default column is the paper's search as printed (docs/design.md §2)", () => {
    expect(PAPER_CONFIG).toEqual({
      scale: 3,
      cells: 3,
      channels: 64,
      k: 8,
      groups: 4,
      epochs: 100,
      stepsPerEpoch: 20,
      batch: 16,
      patch: 24,
      seed: 1,
      warmupEpochs: 25,
      regEpochs: 100,
      tMin: 0.1,
      tMax: 10,
      wLr: 1e-3,
      archLr: 6e-4,
      archWeightDecay: 1e-3,
      mu: 0.8,
      rho: 0.2,
      lambda: 1.5,
      gamma: 0.8,
      nu: 0.5,
      l1Target: 'softmax',
      alphaInitStd: 1e-3,
      dataWeight: 1,
    });
  });

  it('has one row per config field, with unique keys and flags, defaults inside their ranges', () => {
    const keys = SEARCH_PARAMS.map((p) => p.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(new Set(SEARCH_PARAMS.map((p) => p.flag)).size).toBe(keys.length);
    // Every required field has a row; the only row without a default is the optional split seed.
    expect([...keys].sort()).toEqual([...Object.keys(PAPER_CONFIG), 'splitSeed'].sort());
    for (const p of SEARCH_PARAMS) {
      if (p.default !== undefined) expect(paramValueProblem(p, p.default), p.key).toBeNull();
      if (p.type === 'number') {
        expect(p.min, p.key).toBeLessThan(p.max);
        if (p.integer) expect(Number.isInteger(p.step), p.key).toBe(true);
      } else expect(p.choiceLabels.length, p.key).toBe(p.choices.length);
      expect(p.label && p.help && p.paper, p.key).toBeTruthy();
    }
  });

  it('every preset is valid under the table', () => {
    for (const n of SEARCH_PRESET_NAMES)
      expect(searchConfigProblems(SEARCH_PRESETS[n].config), n).toEqual([]);
  });

  it('its live rows are exactly the settings Search.setLive moves', () => {
    // A complete LiveSettings literal: adding a field to the type breaks this line until the
    // table gets a live row for it (and a row marked live that is not a field fails below).
    const all: LiveSettings = { mu: 1, rho: 1, lambda: 1, gamma: 1, nu: 1, l1Target: 'logits' };
    expect([...LIVE_KEYS].sort()).toEqual(Object.keys(all).sort());
    const c = { ...PAPER_CONFIG, mu: 0.3, nu: 0.7, l1Target: 'logits' as const };
    expect(liveSettingsOf(c)).toEqual({
      mu: 0.3,
      rho: 0.2,
      lambda: 1.5,
      gamma: 0.8,
      nu: 0.7,
      l1Target: 'logits',
    });
  });

  it('logs settings by their symbols', () => {
    expect(formatSettings({ mu: 0.3, rho: 0.5, l1Target: 'logits' })).toBe(
      'μ=0.3, ρ=0.5, l1Target=logits',
    );
    expect(formatSettings(PAPER_CONFIG, ['lambda', 'gamma', 'nu', 'dataWeight'], ' ')).toBe(
      'λ=1.5 γ=0.8 ν=0.5 κ=1',
    );
  });

  it('fills fields that old configs lack with the defaults', () => {
    const old = { ...PAPER_CONFIG } as Partial<SearchConfig>;
    delete old.alphaInitStd;
    delete old.dataWeight;
    const full = withSearchDefaults({ ...(old as SearchConfig), archLr: 5e-3 });
    expect(full.alphaInitStd).toBe(1e-3);
    expect(full.dataWeight).toBe(1);
    expect(full.archLr).toBe(5e-3);
    expect('splitSeed' in full).toBe(false);
  });
});

describe('the one validator', () => {
  const msgs = (c: SearchConfig) => searchConfigProblems(c).map((p) => p.message);

  it('refuses a value outside its row, naming the setting and the range', () => {
    for (const p of SEARCH_PARAMS) {
      if (p.type !== 'number') continue;
      const [problem] = searchConfigProblems({ ...PAPER_CONFIG, [p.key]: p.max * 2 + 1 });
      expect(problem?.keys, p.key).toEqual([p.key]);
      expect(problem.message).toContain(`${p.min}..${p.max}`);
    }
    expect(msgs({ ...PAPER_CONFIG, cells: 2.5 }).join()).toMatch(/cells N \(2\.5\).*whole/);
    expect(msgs({ ...PAPER_CONFIG, scale: 5 as 3 }).join()).toContain('one of 2, 3, 4');
    expect(msgs({ ...PAPER_CONFIG, l1Target: 'none' as 'logits' }).join()).toContain('softmax');
  });

  it('checks the cross-field rules of the method', () => {
    expect(searchConfigProblems({ ...PAPER_CONFIG, channels: 60 })).toEqual([
      { keys: ['channels', 'k'], message: 'channels C (60) must be divisible by k (8)' },
    ]);
    expect(msgs({ ...PAPER_CONFIG, channels: 32, groups: 8 })).toEqual([
      'C/k (4) must be divisible by groups (8)',
    ]);
    expect(msgs({ ...PAPER_CONFIG, tMin: 5, tMax: 5 })).toEqual([
      'EDE Tmin (5) must be below Tmax (5)',
    ]);
    expect(searchConfigProblems({ ...PAPER_CONFIG, warmupEpochs: 100 })[0].keys).toEqual([
      'warmupEpochs',
      'epochs',
    ]);
    expect(searchConfigProblems({ ...PAPER_CONFIG, warmupEpochs: 99 })).toEqual([]);
  });

  it('a row by key is the row', () => {
    expect(PARAMS_BY_KEY.warmupEpochs.flag).toBe('warmup');
    expect(PARAMS_BY_KEY.mu.symbol).toBe('μ');
  });
});

describe('number rows: lookup, clamping and range checks', () => {
  it('numberParam gives the row of that key', () => {
    const c = numberParam('channels');
    expect(c).toBe(PARAMS_BY_KEY.channels);
    expect([c.key, c.type, c.min, c.max, c.integer]).toEqual(['channels', 'number', 4, 256, true]);
  });

  it('coerceParam clamps into the range, rounds integer rows, refuses non-finite values', () => {
    const ch = numberParam('channels'); // integer, 4..256
    const mu = numberParam('mu'); // real, 0..2
    expect(coerceParam(ch, 1000)).toBe(256);
    expect(coerceParam(ch, 1)).toBe(4);
    expect(coerceParam(ch, 31.6)).toBe(32);
    expect(coerceParam(ch, 64)).toBe(64);
    expect(coerceParam(mu, 0.35)).toBe(0.35);
    expect(coerceParam(mu, -1)).toBe(0);
    expect(coerceParam(mu, 2.5)).toBe(2);
    expect(coerceParam(mu, NaN)).toBeUndefined();
    expect(coerceParam(mu, Infinity)).toBeUndefined();
  });

  it('paramValueProblem: both ends of a range are allowed, just outside is not', () => {
    const mu = numberParam('mu'); // 0..2
    expect(paramValueProblem(mu, 0)).toBeNull();
    expect(paramValueProblem(mu, 2)).toBeNull();
    expect(paramValueProblem(mu, -0.001)).toBe('must be in 0..2');
    expect(paramValueProblem(mu, 2.001)).toBe('must be in 0..2');
    const tMin = numberParam('tMin'); // 0.001..10
    expect(paramValueProblem(tMin, 0.001)).toBeNull();
    expect(paramValueProblem(tMin, 0.0009)).toBe('must be in 0.001..10');
  });

  it('paramValueProblem: a number row wants a finite number', () => {
    const mu = numberParam('mu');
    for (const v of [NaN, Infinity, -Infinity, '1', null, undefined])
      expect(paramValueProblem(mu, v), String(v)).toBe('must be a number');
    expect(paramValueProblem(numberParam('channels'), 2.5)).toBe('must be a whole number');
  });
});

describe('formatSettings, absent values and names outside the table', () => {
  it('skips absent values and writes settings without a symbol by name', () => {
    expect(formatSettings({ mu: 0.3, nu: undefined, epochs: 10 })).toBe('μ=0.3, epochs=10');
    expect(formatSettings({ mu: 0.3, rho: 0.7 }, ['nu', 'rho', 'mu'])).toBe('ρ=0.7, μ=0.3');
    // A genotype's search metadata carries fields that are not settings (backend, seconds).
    const meta = { mu: 0.8, backend: 'wasm', seconds: 12.5 };
    expect(formatSettings(meta as Partial<Record<ParamKey, unknown>>)).toBe(
      'μ=0.8, backend=wasm, seconds=12.5',
    );
  });
});

describe('the one validator, more', () => {
  it('values outside their rows are all that is reported (no cross-field noise)', () => {
    // k = 0 is outside 1..16; C % 0 must not add a divisibility problem on top.
    expect(searchConfigProblems({ ...PAPER_CONFIG, k: 0 })).toEqual([
      { keys: ['k'], message: `${PARAMS_BY_KEY.k.label} (0) must be in 1..16` },
    ]);
    // tMax out of range and below tMin: only the range problem.
    expect(
      searchConfigProblems({ ...PAPER_CONFIG, tMin: 5, tMax: 0.01 }).map((p) => p.keys),
    ).toEqual([['tMax']]);
  });

  it('an optional setting may be absent; present, it is checked', () => {
    expect(searchConfigProblems({ ...PAPER_CONFIG })).toEqual([]);
    expect(searchConfigProblems({ ...PAPER_CONFIG, splitSeed: -1 })[0].keys).toEqual(['splitSeed']);
  });

  it('cross-field rules name every setting involved', () => {
    expect(searchConfigProblems({ ...PAPER_CONFIG, channels: 32, groups: 8 })).toEqual([
      { keys: ['channels', 'k', 'groups'], message: 'C/k (4) must be divisible by groups (8)' },
    ]);
    expect(searchConfigProblems({ ...PAPER_CONFIG, tMin: 5, tMax: 5 })).toEqual([
      { keys: ['tMin', 'tMax'], message: 'EDE Tmin (5) must be below Tmax (5)' },
    ]);
    expect(searchConfigProblems({ ...PAPER_CONFIG, warmupEpochs: 100 })).toEqual([
      {
        keys: ['warmupEpochs', 'epochs'],
        message: 'warm-up (100) must be shorter than epochs (100), else α never moves',
      },
    ]);
  });
});
