import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { encodePng } from '../node/image/codecNode';
import { createImage } from '../core/image/image';
import { Rng } from '../core/rng';
import { validateGenotypeJSON } from '../core/search/genotype';
import { run, searchConfigFromArgv } from './search';
import { DEMO_CONFIG, PAPER_CONFIG, STANDARD_CONFIG } from '../core/search/presets';
import { maxDeviation } from '../core/search/signal';

const root = mkdtempSync(path.join(tmpdir(), 'srbnas-search-'));
const data = path.join(root, 'data');

beforeAll(() => {
  mkdirSync(data);
  for (let i = 0; i < 4; i++) {
    const img = createImage(40, 36, 3);
    const rng = new Rng(i + 1);
    for (let p = 0; p < img.data.length; p++)
      img.data[p] = Math.floor(128 + 90 * Math.sin(p / 97 + i)) ^ rng.int(16);
    writeFileSync(path.join(data, `t${i}.png`), encodePng(img));
  }
});

const argv = (dir: string, extra: string[] = []) => [
  '--data',
  data,
  '--scale',
  '2',
  '--epochs',
  '2',
  '--steps-per-epoch',
  '2',
  '--warmup',
  '1',
  '--cells',
  '1',
  '--channels',
  '8',
  '--k',
  '2',
  '--groups',
  '2',
  '--batch',
  '2',
  '--patch',
  '8',
  '--out',
  path.join(dir, 'g.json'),
  '--log',
  path.join(dir, 'log.jsonl'),
  '--checkpoint',
  path.join(dir, 'cp.json'),
  ...extra,
];

describe('srbnas search', () => {
  it('writes a valid genotype, a log line per step and a resumable checkpoint', async () => {
    const dir = path.join(root, 'a');
    mkdirSync(dir);
    const out = vi.spyOn(console, 'log').mockImplementation(() => {});
    const err = vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(await run(argv(dir))).toBe(0);
    const g = JSON.parse(readFileSync(path.join(dir, 'g.json'), 'utf8'));
    const v = validateGenotypeJSON(g);
    expect(v.ok).toBe(true);
    expect(g.search.channels).toBe(8);
    expect(g.search.backend).toBe('wasm');
    const lines = readFileSync(path.join(dir, 'log.jsonl'), 'utf8').trim().split('\n');
    expect(lines.length).toBe(5); // the step-0 snapshot, then one line per step
    expect(JSON.parse(lines[0]).step).toBe(0);
    expect(JSON.parse(lines[0]).wLoss).toBeNull(); // nothing computed yet (NaN)
    const last = JSON.parse(lines[4]);
    expect(last.step).toBe(4);
    expect(last.genotype).toEqual({ normal: g.normal, normal_concat: g.normal_concat });
    expect(out.mock.calls.flat().join('\n')).toContain('"srbnas-genotype"');
    // The checkpoint sits at the last step: resuming has nothing left to do and says so.
    await expect(run(argv(dir))).rejects.toThrow(/already at the last step/);
    out.mockRestore();
    err.mockRestore();
  });

  it('max |p − 1/6|', () => {
    expect(maxDeviation([[0.5, 0.1, 0.1, 0.1, 0.1, 0.1]])).toBeCloseTo(1 / 3, 12);
  });

  it('--preset picks the settings; explicit flags override single values', () => {
    expect(searchConfigFromArgv([])).toEqual({ ...STANDARD_CONFIG, seed: 1, scale: 3 });
    expect(searchConfigFromArgv(['--preset', 'paper', '--scale', '4'])).toEqual({
      ...PAPER_CONFIG,
      scale: 4,
    });
    const demo = searchConfigFromArgv(['--preset', 'demo', '--mu', '0.2', '--seed', '7']);
    expect(demo).toEqual({ ...DEMO_CONFIG, mu: 0.2, seed: 7 });
    // A new epoch count brings its own warm-up (25 %) and ramp unless they are given too.
    const longer = searchConfigFromArgv(['--preset', 'demo', '--epochs', '40']);
    expect([longer.warmupEpochs, longer.regEpochs]).toEqual([10, 40]);
    const both = searchConfigFromArgv(['--epochs', '40', '--warmup', '3', '--reg-epochs', '9']);
    expect([both.warmupEpochs, both.regEpochs]).toEqual([3, 9]);
    expect(() => searchConfigFromArgv(['--preset', 'fast'])).toThrow(/preset/);
  });
});
