import { describe, expect, it } from 'vitest';
import { spec, searchConfigFromArgv } from './search';
import { flagName } from './args';
import { SEARCH_PARAMS, type SearchParam } from '../core/search/params';
import { PAPER_CONFIG } from '../core/search/presets';

/** Flags of `srbnas search` that are not search settings (data, outputs, threads). */
const RUN_FLAGS = [
  'preset',
  'data',
  'holdOut',
  'holdOutSeed',
  'out',
  'log',
  'logEvery',
  'checkpoint',
  'fresh',
  'workers',
];

const flag = (p: SearchParam) => `--${flagName(p.flag)}`;
const paper = (...extra: string[]) => searchConfigFromArgv(['--preset', 'paper', ...extra]);

describe("srbnas search's flags are the settings table", () => {
  it("accepts exactly the table's flags besides the run flags", () => {
    expect(Object.keys(spec.flags).sort()).toEqual(
      [...RUN_FLAGS, ...SEARCH_PARAMS.map((p) => p.flag)].sort(),
    );
  });

  it("gives each flag its row's range and refuses values outside it, naming the flag", () => {
    for (const p of SEARCH_PARAMS) {
      const fs = spec.flags[p.flag as keyof typeof spec.flags];
      if (p.type === 'choice') {
        expect(fs, p.key).toMatchObject({ type: 'choice', choices: p.choices.map(String) });
        expect(() => paper(flag(p), 'bogus')).toThrow(`${flag(p)}: 'bogus' is not one of`);
        continue;
      }
      expect(fs, p.key).toMatchObject({
        type: 'number',
        min: p.min,
        max: p.max,
        integer: p.integer,
      });
      expect(() => paper(flag(p), String(p.max * 2 + 1))).toThrow(
        `${flag(p)}: ${p.max * 2 + 1} is above the maximum ${p.max}`,
      );
      expect(() => paper(flag(p), String(p.min - 1))).toThrow(
        `${flag(p)}: ${p.min - 1} is below the minimum ${p.min}`,
      );
      if (p.integer) expect(() => paper(flag(p), '1.5')).toThrow('is not an integer');
    }
  });

  it('sets its row’s config field', () => {
    for (const p of SEARCH_PARAMS) {
      // A value other than the paper's that passes the cross-field rules on its own.
      const candidates =
        p.type === 'choice'
          ? p.choices
          : [p.max, p.min, p.integer ? Math.round((p.min + p.max) / 2) : (p.min + p.max) / 2];
      const v = candidates.find((c) => {
        if (c === PAPER_CONFIG[p.key]) return false;
        try {
          paper(flag(p), String(c));
          return true;
        } catch {
          return false;
        }
      });
      expect(v, p.key).toBeDefined();
      expect(paper(flag(p), String(v))[p.key], p.key).toBe(v);
    }
  });

  it('refuses a config the validator refuses, naming the flags involved', () => {
    expect(() => paper('--channels', '60')).toThrow(
      '--channels, --k: channels C (60) must be divisible by k (8)',
    );
    expect(() => paper('--epochs', '4', '--warmup', '4')).toThrow(
      /--warmup, --epochs: warm-up \(4\) must be shorter than epochs \(4\)/,
    );
    expect(() => paper('--t-min', '5', '--t-max', '2')).toThrow('--t-min, --t-max');
  });
});
