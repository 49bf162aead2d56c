import { describe, expect, it } from 'vitest';
import { configFromQuery, configToQuery, pageQuery } from './urlConfig';
import { BROWSER_DEFAULT_CONFIG, PAGE_PARAMS } from './configSpec';
import { PAPER_CONFIG, STANDARD_CONFIG } from '../../core/search/presets';
import { SEARCH_PARAMS, type SearchParam } from '../../core/search/params';

/** A value of the row other than the one `c` has, inside the row's range. */
function otherValue(p: SearchParam, current: unknown): string | number {
  if (p.type === 'choice') return p.choices.find((v) => v !== current)!;
  return [p.max, p.min].find((v) => v !== current)!;
}

describe('config in the URL', () => {
  it('writes only what differs from the defaults', () => {
    expect(configToQuery(BROWSER_DEFAULT_CONFIG)).toBe('');
    const q = configToQuery({ ...BROWSER_DEFAULT_CONFIG, mu: 0.2, rho: 0.8, scale: 4 });
    expect(new URLSearchParams(q).get('mu')).toBe('0.2');
    expect(new URLSearchParams(q).get('scale')).toBe('4');
    expect([...new URLSearchParams(q).keys()].sort()).toEqual(['mu', 'rho', 'scale']);
  });

  it('round-trips every field', () => {
    const c = {
      ...BROWSER_DEFAULT_CONFIG,
      scale: 2 as const,
      cells: 3,
      channels: 32,
      k: 8,
      epochs: 7,
      seed: 42,
      mu: 0.35,
      tMin: 0.05,
      archLr: 0.0003,
      l1Target: 'logits' as const,
    };
    const back = configFromQuery(configToQuery(c));
    expect(back.config).toEqual(c);
    expect(back.warnings).toEqual([]);
  });

  it("carries exactly the table's page rows, each round-tripping on its own", () => {
    expect(PAGE_PARAMS.map((p) => p.key)).toEqual(
      SEARCH_PARAMS.filter((p) => p.page).map((p) => p.key),
    );
    for (const p of PAGE_PARAMS) {
      const c = {
        ...BROWSER_DEFAULT_CONFIG,
        [p.key]: otherValue(p, BROWSER_DEFAULT_CONFIG[p.key]),
      };
      const q = configToQuery(c, BROWSER_DEFAULT_CONFIG);
      expect([...new URLSearchParams(q).keys()], p.key).toEqual([p.key]);
      const back = configFromQuery(q);
      expect(back.config, p.key).toEqual(c);
      expect(back.warnings, p.key).toEqual([]);
    }
    // CLI-only rows have no URL parameter: the page runs them at the preset's value.
    for (const p of SEARCH_PARAMS.filter((r) => !r.page))
      expect(configFromQuery(`${p.key}=1`).warnings.join(), p.key).toContain('unknown URL');
  });

  it("clamps every number to its row's range", () => {
    for (const p of PAGE_PARAMS) {
      if (p.type !== 'number') continue;
      const hi = configFromQuery(`${p.key}=${p.max * 10 + 1}`);
      expect(hi.config[p.key], p.key).toBe(p.max);
      expect(hi.warnings.join(), p.key).toContain(`range ${p.min}..${p.max}`);
      expect(configFromQuery(`${p.key}=${p.min - 1}`).config[p.key], p.key).toBe(p.min);
    }
  });

  it('names the preset a config starts from, and keeps its diffs short', () => {
    const paper = { ...PAPER_CONFIG, seed: 3 };
    const q = configToQuery(paper);
    expect(Object.fromEntries(new URLSearchParams(q))).toEqual({ preset: 'paper', seed: '3' });
    expect(configFromQuery(q).config).toEqual(paper);
    const std = { ...STANDARD_CONFIG, mu: 0.5 };
    expect(configFromQuery(configToQuery(std)).config).toEqual(std);
    expect(configFromQuery('preset=fast').warnings.join()).toContain('preset "fast"');
    expect(configFromQuery('preset=fast').config).toEqual(BROWSER_DEFAULT_CONFIG);
  });

  it('carries the backend preference beside the config', () => {
    const q = pageQuery({ ...BROWSER_DEFAULT_CONFIG, seed: 9 }, 'wasm');
    const back = configFromQuery(q);
    expect(back.backend).toBe('wasm');
    expect(back.config.seed).toBe(9);
    expect(pageQuery(BROWSER_DEFAULT_CONFIG, 'auto')).toBe('');
    expect(configFromQuery('backend=metal').warnings.join()).toContain('backend');
  });

  it('clamps, rounds and names bad parameters instead of throwing', () => {
    const { config, warnings } = configFromQuery(
      'cells=99&batch=2.6&mu=abc&scale=5&l1Target=none&bogus=1',
    );
    expect(config.cells).toBe(8);
    expect(config.batch).toBe(3);
    expect(config.mu).toBe(BROWSER_DEFAULT_CONFIG.mu);
    expect(config.scale).toBe(BROWSER_DEFAULT_CONFIG.scale);
    expect(config.l1Target).toBe('softmax');
    const text = warnings.join('\n');
    for (const name of ['cells', 'batch', 'mu', 'scale', 'l1Target', 'bogus'])
      expect(text).toContain(name);
  });
});
