import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { encodePng } from '../node/image/codecNode';
import { createImage } from '../core/image/image';
import { Rng } from '../core/rng';
import { validateGenotypeJSON } from '../core/search/genotype';
import { maxDeviationFromUniform, run } from './search';

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
    expect(lines.length).toBe(4);
    const last = JSON.parse(lines[3]);
    expect(last.step).toBe(4);
    expect(last.genotype).toEqual({ normal: g.normal, normal_concat: g.normal_concat });
    expect(out.mock.calls.flat().join('\n')).toContain('"srbnas-genotype"');
    // The checkpoint sits at the last step: resuming has nothing left to do and says so.
    await expect(run(argv(dir))).rejects.toThrow(/already at the last step/);
    out.mockRestore();
    err.mockRestore();
  });

  it('max |p − 1/6|', () => {
    expect(maxDeviationFromUniform([[0.5, 0.1, 0.1, 0.1, 0.1, 0.1]])).toBeCloseTo(1 / 3, 12);
  });
});
