import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { downscaleBicubic } from './bicubic';
import { decodePng } from '../../node/image/codecNode';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const datasets = process.env.SRBNAS_DATASETS ?? path.resolve(repoRoot, '../shared/datasets');
const present = existsSync(path.join(datasets, 'Set5'));
if (!present) {
  console.warn(`[bicubic.datasets] skipped: no datasets at ${datasets} (set SRBNAS_DATASETS)`);
}

const read = (f: string) => decodePng(new Uint8Array(readFileSync(f)));

describe.skipIf(!present)('bit-exact LR generation on the benchmark sets', () => {
  let total = 0;
  for (const set of ['Set5', 'Set14', 'BSD100']) {
    for (const scale of [2, 3, 4]) {
      it(`${set} x${scale}: our downscale of every HR equals the LR PNG byte for byte`, () => {
        const dir = path.join(datasets, set, `x${scale}`);
        const names = readdirSync(path.join(dir, 'HR')).filter((f) => f.endsWith('.png'));
        expect(names.length).toBeGreaterThan(0);
        const mismatched: string[] = [];
        for (const name of names) {
          const lr = read(path.join(dir, 'LR', name));
          const ours = downscaleBicubic(read(path.join(dir, 'HR', name)), scale);
          const same =
            ours.width === lr.width &&
            ours.height === lr.height &&
            ours.channels === lr.channels &&
            Buffer.compare(Buffer.from(ours.data), Buffer.from(lr.data)) === 0;
          if (!same) mismatched.push(name);
        }
        total += names.length;
        expect(mismatched).toEqual([]);
      });
    }
  }
  it('covered all 357 LR images', () => {
    expect(total).toBe(357);
  });
});
