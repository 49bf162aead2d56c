/**
 * The NAS sanity experiments of issue 10 (searched vs random cells, the paper's Table 4), in
 * Node on the WASM backend: a search run to its genotype, and a short "proxy" training of a cell
 * scored on held-out T91 images (never on Set5/Set14/BSD100). Results are cached one JSON file
 * per run, so an interrupted experiment resumes where it stopped.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile, rename } from 'node:fs/promises';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { NamedImage } from '../core/image/image';
import { searchDataFor } from '../core/data/patches';
import { heldOutIndices, trainDataFromImages } from '../core/train/data';
import { Trainer, type TrainConfig } from '../core/train/trainer';
import { validate, validateBicubic } from '../core/train/validate';
import { countModel } from '../core/model/count';
import type { SrbnasConfig } from '../core/model/config';
import { Search } from '../core/search/search';
import { runSignal, type RunSignal } from '../core/search/signal';
import type { Genotype, SearchConfig, SearchSnapshot } from '../core/search/types';

export type { NamedImage };

/** The proxy training every compared cell gets (same data, split, seed, steps). */
export interface ProxyConfig {
  cells: number;
  channels: number;
  groups: number;
  steps: number;
  batch: number;
  patch: number;
  lr: number;
  seed: number;
  /** Held-out T91 images (the same ones the searches leave out). */
  valImages: number;
}

export const PROXY: ProxyConfig = {
  cells: 3,
  channels: 16,
  groups: 2,
  steps: 300,
  batch: 16,
  patch: 16,
  lr: 1e-3,
  seed: 1,
  valImages: 10,
};

/** The images a search may see: all but the proxy's held-out ones. */
export function searchImages(all: NamedImage[], proxy: ProxyConfig = PROXY): NamedImage[] {
  const held = heldOutIndices(all.length, proxy.valImages, proxy.seed);
  return all.filter((_, i) => !held.has(i));
}

export interface SearchOutcome {
  config: SearchConfig;
  genotype: Genotype;
  signal: RunSignal;
  /** Step-0 and last snapshots (what search-report needs for cross-run agreement). */
  first: SearchSnapshot;
  last: SearchSnapshot;
  seconds: number;
}

/** One search to the end, single-threaded. `onStep` sees every snapshot (progress). */
export async function runSearch(
  config: SearchConfig,
  images: NamedImage[],
  onStep?: (s: SearchSnapshot) => void,
): Promise<SearchOutcome> {
  const t0 = performance.now();
  const data = searchDataFor(images, config);
  const search = new Search(config, data);
  try {
    const first = await search.initialSnapshot();
    const snaps: SearchSnapshot[] = [first];
    let last = first;
    while (!search.done) {
      last = await search.step();
      if (last.archGrad) snaps.push(last);
      onStep?.(last);
    }
    if (snaps[snaps.length - 1] !== last) snaps.push(last);
    return {
      config,
      genotype: last.genotype,
      signal: runSignal(snaps),
      first,
      last,
      seconds: (performance.now() - t0) / 1000,
    };
  } finally {
    search.dispose();
  }
}

export interface ProxyOutcome {
  valPsnr: number;
  valSsim: number;
  bicubicPsnr: number;
  params: number;
  binaryParams: number;
  seconds: number;
}

/** Train `genotype` with the proxy budget and score it on the held-out images. */
export async function proxyTrain(
  genotype: Genotype,
  scale: 2 | 3 | 4,
  all: NamedImage[],
  proxy: ProxyConfig = PROXY,
  onStep?: (step: number, loss: number) => void,
): Promise<ProxyOutcome> {
  const t0 = performance.now();
  const arch: SrbnasConfig = {
    arch: 'srbnas',
    scale,
    genotype,
    cells: proxy.cells,
    channels: proxy.channels,
    groups: proxy.groups,
  };
  const config: TrainConfig = {
    epochs: 1,
    stepsPerEpoch: proxy.steps,
    batch: proxy.batch,
    patch: proxy.patch,
    lr: proxy.lr,
    seed: proxy.seed,
    tMin: 0.1,
    tMax: 10,
  };
  const data = trainDataFromImages(all, {
    scale,
    patch: proxy.patch,
    batch: proxy.batch,
    seed: proxy.seed,
    valImages: proxy.valImages,
  });
  const trainer = new Trainer(arch, config, data.sampler);
  try {
    while (!trainer.done) {
      const r = await trainer.step();
      onStep?.(r.step, r.loss);
    }
    const s = await validate(trainer.net, data.val);
    const counts = countModel(arch);
    return {
      valPsnr: s.psnr,
      valSsim: s.ssim,
      bicubicPsnr: validateBicubic(data.val, scale).psnr,
      params: counts.params,
      binaryParams: counts.binaryParams,
      seconds: (performance.now() - t0) / 1000,
    };
  } finally {
    trainer.dispose();
  }
}

/** JSON cache: `compute()` runs only when `file` does not exist yet; written atomically. */
export async function cached<T>(file: string, compute: () => Promise<T>): Promise<T> {
  if (existsSync(file)) return JSON.parse(await readFile(file, 'utf8')) as T;
  const value = await compute();
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  await writeFile(tmp, JSON.stringify(value) + '\n');
  await rename(tmp, file);
  return value;
}

/** Mean and (sample) standard deviation. */
export function meanStd(xs: number[]): { mean: number; std: number; n: number } {
  const n = xs.length;
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  const v = n > 1 ? xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1) : 0;
  return { mean, std: Math.sqrt(v), n };
}

export const tensorsNow = () => tf.memory().numTensors;
