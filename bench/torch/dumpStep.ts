/**
 * Test hook for the PyTorch port (python/tests): one search step and one training step on tfjs
 * (the CLI's WASM backend) from a fixed seed and batch, dumped with everything PyTorch needs to
 * redo them — initial weights, the batches, gradients, weights after the step — in the
 * one-file SRBC container of checkpoints (src/core/train/pack.ts), NHWC tensors as tfjs holds them.
 *
 *   npx tsx bench/torch/dumpStep.ts --data public/images --out dump.srbc \
 *     [--search '{"channels":16,...}'] [--train '{"arch":"srbnas",...}']
 *
 * Search: a Search over the images (seeded split and crops), warm-up 0 so the step has its α/β
 * half; the w-gradients at the initial weights, the w update, then the α/β gradients at the
 * updated weights and the α/β update — exactly Search.step(). Train: a Trainer on the images
 * (validation hold-out 1), after `warmSteps` ordinary steps (its checkpoint written to
 * --train-checkpoint), its gradients and Adam update on the next batch. The header also
 * carries the TS default configs, search presets and settings table (flags, ranges), so the Python
 * ones can be checked against them.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { loadImageDir } from '../../src/node/data/loadDir';
import { searchDataFromImages, type PatchBatch } from '../../src/core/data/patches';
import type { ArchConfig } from '../../src/core/model/config';
import { encodeWeights } from '../../src/core/model/weights';
import { Search } from '../../src/core/search/search';
import { DEFAULT_SEARCH_CONFIG, type SearchConfig } from '../../src/core/search/types';
import { SEARCH_PRESETS } from '../../src/core/search/presets';
import { SEARCH_PARAMS, type SearchParam } from '../../src/core/search/params';
import { trainDataFromImages } from '../../src/core/train/data';
import { pack } from '../../src/core/train/pack';
import { DEFAULT_TRAIN_CONFIG, Trainer, type TrainConfig } from '../../src/core/train/trainer';
import { startWasmBackend } from '../../src/cli/nodeBackend';
import { flagName } from '../../src/cli/args';
import { Rng } from '../../src/core/rng';

type Named = { name: string; tensor: tf.Tensor }[];

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function batchTensors(prefix: string, b: PatchBatch): Named {
  const P = b.patch * b.scale;
  return [
    { name: `${prefix}:lr`, tensor: tf.tensor4d(b.lr, [b.batch, b.patch, b.patch, 3]) },
    { name: `${prefix}:hr`, tensor: tf.tensor4d(b.hr, [b.batch, P, P, 3]) },
    { name: `${prefix}:bic`, tensor: tf.tensor4d(b.bic, [b.batch, P, P, 3]) },
  ];
}

/** Variables under their file names, cloned so later updates do not change the dump. */
function snapshot(prefix: string, vars: tf.Variable[], strip: string): Named {
  return vars.map((v) => ({ name: `${prefix}:${v.name.slice(strip.length)}`, tensor: v.clone() }));
}

function grads(prefix: string, g: tf.NamedTensorMap, strip: string): Named {
  return Object.entries(g).map(([k, t]) => ({
    name: `${prefix}:${k.slice(strip.length)}`,
    tensor: t,
  }));
}

/** A sampler wrapper that records every batch it hands out. */
function recording<T extends { next(): PatchBatch }>(src: T, seen: PatchBatch[]): T {
  const next = src.next.bind(src);
  src.next = () => {
    const b = next();
    seen.push(b);
    return b;
  };
  return src;
}

async function searchStep(images: Awaited<ReturnType<typeof loadImageDir>>, over: object) {
  // betaInitStd (hook only): β away from 0, where the gates sit exactly at their prior, every
  // node's gates sum to 2 and R(β)'s gradient is float32 rounding noise.
  const { betaInitStd = 0, ...rest } = over as { betaInitStd?: number };
  const config: SearchConfig = { ...DEFAULT_SEARCH_CONFIG, warmupEpochs: 0, ...rest };
  const data = searchDataFromImages(images, config);
  const seenTrain: PatchBatch[] = [];
  const seenVal: PatchBatch[] = [];
  const s = new Search(config, {
    train: recording(data.train, seenTrain),
    val: recording(data.val, seenVal),
  });
  const net = s.supernet;
  const p = net.prefix;
  const rng = new Rng(config.seed + 7);
  const beta = Array.from({ length: net.beta.size }, () => rng.normal() * betaInitStd);
  tf.tidy(() => net.beta.assign(tf.tensor1d(beta)));
  const out: Named = [
    ...snapshot('init', net.weights.list(), p),
    ...snapshot('init', net.arch.list(), p),
  ];
  const w = s.computeWGrads(data.train.next());
  out.push(...grads('gw', w.grads, p));
  s.applyWGrads(w.grads);
  const a = s.computeArchGrads(data.val.next());
  out.push(...grads('ga', a.grads, p));
  s.applyArchGrads(a.grads);
  out.push(...snapshot('after', net.weights.list(), p), ...snapshot('after', net.arch.list(), p));
  out.push(...batchTensors('train', seenTrain[0]), ...batchTensors('val', seenVal[0]));
  const meta = {
    config,
    wLoss: (await w.loss.data())[0],
    archLoss: (await a.loss.data())[0],
    valL1: (await a.valL1.data())[0],
  };
  s.dispose();
  return { meta, tensors: out.map((t) => ({ ...t, name: `search/${t.name}` })) };
}

async function trainStep(
  images: Awaited<ReturnType<typeof loadImageDir>>,
  over: object,
  checkpointFile?: string,
) {
  // warmSteps (hook only): ordinary steps first. At initialisation the tail conv is zero, so
  // only the tail gets a gradient; after a step every layer does.
  const {
    arch,
    warmSteps = 0,
    ...rest
  } = over as { arch: ArchConfig; warmSteps?: number } & Partial<TrainConfig>;
  const config: TrainConfig = { ...DEFAULT_TRAIN_CONFIG, ...rest };
  const data = trainDataFromImages(images, { scale: arch.scale, ...config, valImages: 1 });
  const seen: PatchBatch[] = [];
  const t = new Trainer(arch, config, recording(data.sampler, seen));
  for (let i = 0; i < warmSteps; i++) await t.step();
  if (checkpointFile) {
    const cp = await t.checkpoint();
    writeFileSync(checkpointFile, pack(cp.header, cp.data));
  }
  const p = t.net.prefix;
  const out: Named = snapshot('init', t.net.params.list(), p);
  const g = t.computeGrads(data.sampler.next());
  out.push(...grads('g', g.grads, p));
  t.applyGrads(g.grads);
  out.push(...snapshot('after', t.net.params.list(), p), ...batchTensors('batch', seen[warmSteps]));
  const meta = { arch, config, warmSteps, loss: (await g.loss.data())[0] };
  t.dispose();
  return { meta, tensors: out.map((x) => ({ ...x, name: `train/${x.name}` })) };
}

/**
 * A settings-table row as python/srbnas_torch/config.py mirrors it: the `srbnas search` flag, the
 * label problems name, and the range (inclusive, whole or not) or the choices; `optional` for a
 * row without a default (its absence is valid).
 */
function paramRange(p: SearchParam) {
  return {
    flag: `--${flagName(p.flag)}`,
    label: p.label,
    ...(p.type === 'choice'
      ? { choices: p.choices }
      : { min: p.min, max: p.max, integer: p.integer }),
    ...(p.default === undefined ? { optional: true } : {}),
  };
}

async function main(): Promise<void> {
  const dataDir = arg('data');
  const outFile = arg('out');
  if (!dataDir || !outFile)
    throw new Error('usage: dumpStep.ts --data DIR --out FILE [--search JSON] [--train JSON]');
  const backend = await startWasmBackend();
  const images = await loadImageDir(dataDir);
  const header: Record<string, unknown> = {
    format: 'srbnas-step-dump',
    backend,
    defaults: {
      search: DEFAULT_SEARCH_CONFIG,
      presets: Object.fromEntries(Object.entries(SEARCH_PRESETS).map(([k, v]) => [k, v.config])),
      train: DEFAULT_TRAIN_CONFIG,
      params: Object.fromEntries(SEARCH_PARAMS.map((p) => [p.key, paramRange(p)])),
    },
  };
  const all: Named = [];
  const searchArg = arg('search');
  if (searchArg) {
    const s = await searchStep(images, JSON.parse(searchArg));
    header.search = s.meta;
    all.push(...s.tensors);
  }
  const trainArg = arg('train');
  if (trainArg) {
    const raw = trainArg.startsWith('@') ? readFileSync(trainArg.slice(1), 'utf8') : trainArg;
    const t = await trainStep(images, JSON.parse(raw), arg('train-checkpoint'));
    header.train = t.meta;
    all.push(...t.tensors);
  }
  const { specs, data } = await encodeWeights(all);
  header.tensors = specs;
  writeFileSync(outFile, pack(header, data));
  tf.dispose(all.map((t) => t.tensor));
  console.error(`wrote ${outFile}: ${specs.length} tensors (${backend})`);
}

await main();
