import { describe, expect, it } from 'vitest';
import {
  DEMO_CONFIG,
  PAPER_CONFIG,
  SEARCH_PRESETS,
  SEARCH_PRESET_NAMES,
  STANDARD_CONFIG,
  presetOf,
} from './presets';
import type { SearchConfig } from './types';

describe('presetOf', () => {
  it('recognises each preset by its own config', () => {
    for (const n of SEARCH_PRESET_NAMES) expect(presetOf(SEARCH_PRESETS[n].config), n).toBe(n);
    expect(presetOf(PAPER_CONFIG)).toBe('paper');
    expect(presetOf(STANDARD_CONFIG)).toBe('standard');
    expect(presetOf(DEMO_CONFIG)).toBe('demo');
  });

  it('ignores seed and scale, which every preset leaves to the user', () => {
    expect(presetOf({ ...DEMO_CONFIG, seed: 42, scale: 2 })).toBe('demo');
    expect(presetOf({ ...STANDARD_CONFIG, seed: 3 })).toBe('standard');
    expect(presetOf({ ...PAPER_CONFIG, scale: 4 })).toBe('paper');
  });

  it('any other changed field makes the config custom', () => {
    expect(presetOf({ ...PAPER_CONFIG, mu: 0.5 })).toBeNull();
    expect(presetOf({ ...DEMO_CONFIG, epochs: 11 })).toBeNull();
    expect(presetOf({ ...STANDARD_CONFIG, l1Target: 'logits' })).toBeNull();
    // κ alone tells standard from paper.
    expect(presetOf({ ...STANDARD_CONFIG, dataWeight: 1, archLr: 6e-4 })).toBe('paper');
    expect(presetOf({ ...STANDARD_CONFIG, dataWeight: 1 })).toBeNull();
  });

  it('a config saved before κ and the α init std existed is the paper preset', () => {
    const old = { ...PAPER_CONFIG } as Partial<SearchConfig>;
    delete old.dataWeight;
    delete old.alphaInitStd;
    expect(presetOf(old as SearchConfig)).toBe('paper');
  });
});
