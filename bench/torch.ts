/**
 * Side-by-side step timings: tfjs on WASM (the CLI's backend, this thread) against the PyTorch
 * port on the CPU (1 thread, and every core) and on a GPU when torch sees one, at the standard
 * configuration: the search step of DEFAULT_SEARCH_CONFIG (3 cells, C = 64, k = 8, groups 4,
 * batch 16, LR patch 24, ×3; w-step + α/β-step) and the training step of DEFAULT_TRAIN_CONFIG
 * (batch 16, patch 24) on the evaluation network of the searched genotype at 3 cells, C = 64.
 *
 *   npm run bench:torch [-- --steps=3] [-- --quick] [-- --threads=1,2]
 *   (--quick: 2 cells, C = 16, batch 8; --threads: PyTorch CPU threads per row, default 1 and
 *   every core — on a busy machine the all-core row is slow, and --threads=1 skips it)
 *
 * Prints one JSON object: the rows, the speed-ups over tfjs-WASM, and the 1-minute load average
 * before and after (numbers on a shared machine scale with it). Data: T91 from the datasets
 * folder when present, else the bundled images (same crops for both engines: same seed).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { loadImageDir } from '../src/node/data/loadDir';
import { searchDataFromImages } from '../src/core/data/patches';
import type { ArchConfig } from '../src/core/model/config';
import { validateGenotypeJSON } from '../src/core/search/genotype';
import { Search } from '../src/core/search/search';
import { DEFAULT_SEARCH_CONFIG, type SearchConfig } from '../src/core/search/types';
import { trainDataFromImages } from '../src/core/train/data';
import { DEFAULT_TRAIN_CONFIG, Trainer } from '../src/core/train/trainer';

const root = path.resolve(import.meta.dirname, '..');
const GENOTYPE = path.join(root, 'models/genotypes/searched-t91-x3-c16.json');
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const stepsArg = args.find((a) => a.startsWith('--steps='));
const STEPS = stepsArg ? Number(stepsArg.slice(8)) : quick ? 2 : 3;
const WARMUP = 1;

async function time(step: () => Promise<unknown>): Promise<{ median: number; min: number }> {
  for (let i = 0; i < WARMUP; i++) await step();
  const t: number[] = [];
  for (let i = 0; i < STEPS; i++) {
    const t0 = performance.now();
    await step();
    t.push(performance.now() - t0);
  }
  t.sort((a, b) => a - b);
  return { median: t[Math.floor(t.length / 2)], min: t[0] };
}

const round1 = (x: number) => Math.round(x * 10) / 10;

async function main(): Promise<void> {
  const load0 = os.loadavg()[0];
  await tf.setBackend('wasm');
  await tf.ready();
  const datasets = process.env.SRBNAS_DATASETS ?? path.resolve(root, '../shared/datasets');
  const dataDir = existsSync(path.join(datasets, 'T91'))
    ? path.join(datasets, 'T91')
    : path.join(root, 'public/images');
  const images = await loadImageDir(dataDir);
  const over = quick ? { cells: 2, channels: 16, k: 4, groups: 2, batch: 8 } : {};
  const sc: SearchConfig = {
    ...DEFAULT_SEARCH_CONFIG,
    ...over,
    warmupEpochs: 0,
    epochs: 1000,
    stepsPerEpoch: 1000,
  };
  const g = validateGenotypeJSON(JSON.parse(readFileSync(GENOTYPE, 'utf8')));
  if (!g.ok) throw new Error(g.message);
  const arch: ArchConfig = {
    arch: 'srbnas',
    scale: sc.scale,
    genotype: { normal: g.value.normal, normal_concat: g.value.normal_concat },
    cells: sc.cells,
    channels: sc.channels,
    groups: sc.groups,
  };
  const tc = { ...DEFAULT_TRAIN_CONFIG, batch: sc.batch, patch: sc.patch, epochs: 1000 };
  const rows: Record<string, unknown>[] = [];
  const row = (engine: string, step: string, batch: number, t: { median: number; min: number }) =>
    rows.push({
      engine,
      threads: 1,
      step,
      msPerStepMedian: round1(t.median),
      msPerStepMin: round1(t.min),
      samplesPerSec: Math.round((batch * 1e5) / t.median) / 100,
    });

  const data = searchDataFromImages(images, sc);
  const search = new Search(sc, data);
  row('tfjs-wasm', 'search', sc.batch, await time(() => search.step()));
  search.dispose();
  const td = trainDataFromImages(images, { ...tc, scale: sc.scale, valImages: 0 });
  const trainer = new Trainer(arch, tc, td.sampler);
  row('tfjs-wasm', 'train', tc.batch, await time(() => trainer.step()));
  trainer.dispose();

  const py = process.env.SRBNAS_PYTHON ?? '/usr/bin/python3';
  const tArg = args.find((a) => a.startsWith('--threads='));
  const threads = tArg ? tArg.slice(10) : [...new Set([1, os.availableParallelism()])].join(',');
  const res = spawnSync(
    py,
    [
      '-m',
      'srbnas_torch.bench',
      '--data',
      dataDir,
      '--genotype',
      GENOTYPE,
      '--threads',
      threads,
      '--steps',
      String(STEPS),
      '--warmup',
      String(WARMUP),
      '--search',
      JSON.stringify(over),
      '--train',
      JSON.stringify({
        cells: sc.cells,
        channels: sc.channels,
        groups: sc.groups,
        batch: sc.batch,
      }),
    ],
    { cwd: path.join(root, 'python'), encoding: 'utf8' },
  );
  if (res.status !== 0) throw new Error(`torch bench failed:\n${res.stderr}`);
  for (const line of res.stdout.trim().split('\n')) rows.push(JSON.parse(line));
  const base = (step: string) =>
    rows.find((r) => r.engine === 'tfjs-wasm' && r.step === step)!.msPerStepMedian as number;
  for (const r of rows)
    if (typeof r.msPerStepMedian === 'number')
      r.speedupVsTfjsWasm = Math.round((base(r.step as string) / r.msPerStepMedian) * 100) / 100;
  console.log(
    JSON.stringify(
      {
        bench: 'torch-vs-tfjs',
        config: quick ? 'quick' : 'standard',
        search: {
          cells: sc.cells,
          channels: sc.channels,
          k: sc.k,
          groups: sc.groups,
          batch: sc.batch,
          patch: sc.patch,
          scale: sc.scale,
        },
        train: {
          arch: 'srbnas',
          genotype: path.relative(root, GENOTYPE),
          ...tc,
          epochs: undefined,
        },
        data: path.relative(root, dataDir),
        steps: STEPS,
        warmup: WARMUP,
        rows,
        load: [Math.round(load0 * 100) / 100, Math.round(os.loadavg()[0] * 100) / 100],
        cores: os.availableParallelism(),
        torch: spawnSync(py, ['-c', 'import torch; print(torch.__version__)'], {
          encoding: 'utf8',
        }).stdout.trim(),
      },
      null,
      1,
    ),
  );
}

await main();
