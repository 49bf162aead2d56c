import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { encodePng } from '../node/image/codecNode';
import { prepareImage } from '../core/data/patches';
import { syntheticImage } from '../core/model/testUtil';
import { validate } from '../core/train/validate';
import { readModelDir } from './modelFiles';
import { runTrain } from './train';

const root = mkdtempSync(path.join(tmpdir(), 'srbnas-train-'));
const data = path.join(root, 'data');
const genotype = path.join(root, 'g.json');

beforeAll(() => {
  mkdirSync(data);
  for (let i = 0; i < 4; i++)
    writeFileSync(path.join(data, `t${i}.png`), encodePng(syntheticImage(40, 36, i)));
  writeFileSync(
    genotype,
    JSON.stringify({
      format: 'srbnas-genotype',
      version: 1,
      scale: 2,
      normal: [
        ['bin_conv_3x3', 1],
        ['skip_connect', 0],
        ['bin_dil_conv_3x3', 2],
        ['skip_connect', 1],
        ['bin_conv_3x3', 3],
        ['skip_connect', 0],
        ['skip_connect', 4],
        ['bin_conv_5x5', 2],
      ],
      normal_concat: [2, 3, 4, 5],
      searchSpace: ['bin_conv_3x3', 'bin_dil_conv_3x3', 'bin_conv_5x5', 'skip_connect'],
    }),
  );
});

const argv = (out: string) => [
  '--genotype',
  genotype,
  '--data',
  data,
  '--out',
  out,
  '--cells',
  '1',
  '--channels',
  '8',
  '--groups',
  '2',
  '--epochs',
  '3',
  '--steps-per-epoch',
  '2',
  '--batch',
  '2',
  '--patch',
  '8',
  '--val-images',
  '1',
];

describe('srbnas train (CLI)', () => {
  it('a run stopped mid-epoch and restarted with the same command ends with the same weights', async () => {
    const a = path.join(root, 'a');
    const b = path.join(root, 'b');
    expect(await runTrain(argv(a))).toBe(0);
    expect(await runTrain([...argv(b), '--stop-after', '3'])).toBe(0);
    const mid = JSON.parse(readFileSync(path.join(b, 'model.json'), 'utf8'));
    expect(mid.training.epochsDone).toBe(1);
    expect(await runTrain(argv(b))).toBe(0);
    expect(readFileSync(path.join(b, 'weights.bin'))).toEqual(
      readFileSync(path.join(a, 'weights.bin')),
    );
    const { json, net } = await readModelDir(b);
    expect(json.training?.commands.length).toBe(2);
    expect(json.training?.epochsDone).toBe(3);
    expect(json.training?.valPsnr.length).toBe(3);
    expect(json.architecture).toMatchObject({ arch: 'srbnas', scale: 2, cells: 1, channels: 8 });
    expect(json.genotype?.format).toBe('srbnas-genotype');
    net.dispose();
  });

  it('--keep-best keeps the epoch with the best validation PSNR in <out>/best', async () => {
    const out = path.join(root, 'best');
    expect(await runTrain([...argv(out), '--epochs', '4', '--keep-best'])).toBe(0);
    const last = JSON.parse(readFileSync(path.join(out, 'model.json'), 'utf8')).training;
    const best = JSON.parse(readFileSync(path.join(out, 'best/model.json'), 'utf8')).training;
    const v: number[] = last.valPsnr;
    expect(v.length).toBe(4);
    // The kept model is the one saved right after the best epoch: its history ends there.
    const bestEpoch = v.lastIndexOf(Math.max(...v)) + 1;
    expect(best.epochsDone).toBe(bestEpoch);
    expect(best.valPsnr).toEqual(v.slice(0, bestEpoch));
    if (bestEpoch === 4)
      expect(readFileSync(path.join(out, 'best/weights.bin'))).toEqual(
        readFileSync(path.join(out, 'weights.bin')),
      );
  });

  it('train → save → load → eval: the reloaded model scores exactly what training recorded', async () => {
    const out = path.join(root, 'roundtrip');
    expect(await runTrain(argv(out))).toBe(0);
    const { json, net } = await readModelDir(out);
    const names = json.training!.valImages;
    expect(names.length).toBe(1);
    // The held-out images, rebuilt from the same pixels the data folder holds.
    const val = names.map((n) =>
      prepareImage(syntheticImage(40, 36, Number(n.match(/t(\d)/)![1])), 2, n),
    );
    const score = await validate(net, val);
    expect(score.psnr).toBe(json.training!.valPsnr.at(-1));
    net.dispose();
  });

  it('--workers 2 trains the same model as one thread, up to float rounding', async () => {
    const weights = (dir: string) =>
      new Float32Array(new Uint8Array(readFileSync(path.join(dir, 'weights.bin'))).buffer);
    const dirs = ['w1', 'w2', 'w0'].map((d) => path.join(root, d));
    expect(await runTrain(argv(dirs[0]))).toBe(0);
    expect(await runTrain([...argv(dirs[1]), '--workers', '2'])).toBe(0);
    expect(await runTrain([...argv(dirs[2]), '--stop-after', '1'])).toBe(0);
    const [one, two, early] = dirs.map(weights);
    const meta = JSON.parse(readFileSync(path.join(dirs[1], 'model.json'), 'utf8'));
    expect(meta.training.workers).toBe(2);
    expect(two.length).toBe(one.length);
    let diff = 0;
    let moved = 0;
    for (let i = 0; i < one.length; i++) {
      diff += (one[i] - two[i]) ** 2;
      moved += (one[i] - early[i]) ** 2;
    }
    // Both trained well past their first step (steps 2–6 moved the weights by ‖Δ‖ ≈ 0.17 here),
    // and the two runs differ by float rounding only (measured ‖Δ‖ ≈ 4e-4: the all-reduce sums
    // shard gradients in another order, and a binary net can flip a sign on such a difference).
    expect(Math.sqrt(moved)).toBeGreaterThan(0.01);
    expect(Math.sqrt(diff)).toBeLessThan(0.01 * Math.sqrt(moved));
  });

  it('rejects a bad genotype naming the field', async () => {
    const bad = path.join(root, 'bad.json');
    writeFileSync(bad, JSON.stringify({ format: 'srbnas-genotype', version: 1, scale: 5 }));
    await expect(
      runTrain(['--genotype', bad, '--data', data, '--out', path.join(root, 'c')]),
    ).rejects.toThrow(/scale/);
  });
});
