/** `srbnas search`: the SRBNAS architecture search on training images (T91), headless. */
import { existsSync } from 'node:fs';
import { appendFile, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { loadImageDir } from '../node/data/loadDir';
import { searchDataFromImages } from '../core/data/patches';
import { toGenotypeJSON } from '../core/search/genotype';
import { Search, type SearchCheckpoint } from '../core/search/search';
import {
  DEFAULT_SEARCH_CONFIG as D,
  type SearchConfig,
  type SearchSnapshot,
} from '../core/search/types';
import { helpText, parseArgs, UsageError, type CommandSpec } from './args';
import { findDatasets } from './io';
import { writeAtomic } from './modelFiles';
import { startWasmBackend } from './nodeBackend';
import { defaultWorkers } from '../node/parallel/spawn';
import { createParallelSearch } from '../node/parallel/parallelSearchNode';
import type { ParallelSearch } from '../core/parallel/parallelSearch';
import { Progress } from './progress';

const num = (help: string, def: number, integer = false, min?: number) =>
  ({ type: 'number', default: def, integer, min, help }) as const;

const spec = {
  name: 'search',
  summary: 'SRBNAS search (first-order DARTS over binary ops) on training images.',
  usage: 'srbnas search --data <T91 dir> --scale 3 --epochs E --out genotype.json [options]',
  flags: {
    data: { type: 'string', metavar: 'DIR', help: 'training images (default: <datasets>/T91)' },
    scale: { type: 'number', integer: true, min: 2, max: 4, default: D.scale, help: 'SR scale' },
    epochs: num('search epochs', D.epochs, true, 1),
    stepsPerEpoch: num(
      'steps per epoch (each: a w-step and, after warm-up, an α/β-step)',
      D.stepsPerEpoch,
      true,
      1,
    ),
    warmup: {
      type: 'number',
      integer: true,
      min: 0,
      help: 'epochs before α/β steps (default 25% of epochs)',
    },
    regEpochs: {
      type: 'number',
      integer: true,
      min: 1,
      help: 'E of lin(e) = min(1, e/E) (default: epochs)',
    },
    mu: num('μ: L1 weight in R(α)', D.mu),
    rho: num('ρ: L2 weight in R(α)', D.rho),
    lambda: num('λ: weight of R(α)', D.lambda),
    gamma: num('γ: weight of R(β)', D.gamma),
    nu: num('ν: gate-sum weight in R(β)', D.nu),
    l1Target: {
      type: 'choice',
      choices: ['softmax', 'logits'],
      default: D.l1Target,
      help: 'μ term on softmax(α) (the paper; zero gradient) or on the logits α',
    },
    seed: num('random seed (weights, α, split, crops)', D.seed, true),
    cells: num('cells N', D.cells, true, 1),
    channels: num('channels C', D.channels, true, 1),
    k: num('partial-channel factor k', D.k, true, 1),
    groups: num('binary conv groups', D.groups, true, 1),
    batch: num('batch size', D.batch, true, 1),
    patch: num('LR patch size', D.patch, true, 4),
    alphaInit: num('α init std (0 = exactly uniform)', 1e-3, false, 0),
    out: {
      type: 'string',
      alias: 'o',
      default: 'genotype.json',
      metavar: 'FILE',
      help: 'genotype JSON to write',
    },
    log: { type: 'string', metavar: 'FILE', help: 'JSON lines log: one snapshot per logged step' },
    logEvery: num('log every N steps', 1, true, 1),
    checkpoint: {
      type: 'string',
      metavar: 'FILE',
      help: 'save a checkpoint at every epoch end; resume from it when it exists',
    },
    fresh: { type: 'boolean', help: 'ignore an existing --checkpoint' },
    workers: {
      type: 'number',
      integer: true,
      min: 1,
      help: 'data-parallel threads, each with its own WASM backend (default: the cores, at most the batch; results differ from 1 thread only by float summation order)',
    },
  },
  epilog:
    'Example (small, ~minutes on one core):\n' +
    '  srbnas search --data ../shared/datasets/T91 --scale 3 --epochs 10 --steps-per-epoch 20 \\\n' +
    '    --cells 2 --channels 16 --k 4 --groups 2 --batch 8 --patch 16 --out g.json --log g.jsonl',
} satisfies CommandSpec;

/** max over edges and ops of |p − 1/|O||: how far α has moved from uniform. */
export function maxDeviationFromUniform(p: number[][]): number {
  let m = 0;
  for (const row of p) for (const x of row) m = Math.max(m, Math.abs(x - 1 / row.length));
  return m;
}

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, spec);
  if (args.help) {
    console.log(helpText(spec));
    return 0;
  }
  const f = args.flags;
  const dataDir = f.data ?? (findDatasets() ? path.join(findDatasets()!, 'T91') : undefined);
  if (!dataDir)
    throw new UsageError('--data: no training images given and no datasets folder found');
  const backend = await startWasmBackend();

  const config: SearchConfig = {
    ...D,
    scale: f.scale as 2 | 3 | 4,
    cells: f.cells,
    channels: f.channels,
    k: f.k,
    groups: f.groups,
    epochs: f.epochs,
    stepsPerEpoch: f.stepsPerEpoch,
    batch: f.batch,
    patch: f.patch,
    seed: f.seed,
    warmupEpochs: f.warmup ?? Math.floor(f.epochs / 4),
    regEpochs: f.regEpochs ?? f.epochs,
    mu: f.mu,
    rho: f.rho,
    lambda: f.lambda,
    gamma: f.gamma,
    nu: f.nu,
    l1Target: f.l1Target as SearchConfig['l1Target'],
    alphaInitStd: f.alphaInit,
  };
  if (config.warmupEpochs >= config.epochs)
    throw new UsageError(
      `--warmup (${config.warmupEpochs}) must be below --epochs (${config.epochs})`,
    );

  const t0 = Date.now();
  const images = await loadImageDir(dataDir);
  let search: Search | ParallelSearch;
  let seconds0 = 0;
  const resume = f.checkpoint && existsSync(f.checkpoint) && !f.fresh;
  if (resume) {
    const cp = JSON.parse(await readFile(f.checkpoint!, 'utf8')) as SearchCheckpoint & {
      seconds?: number;
    };
    const c = cp.config;
    const data = searchDataFromImages(images, {
      scale: c.scale,
      patch: c.patch,
      batch: c.batch,
      seed: c.seed,
    });
    const workers = Math.min(f.workers ?? defaultWorkers(), c.batch);
    search =
      workers > 1
        ? await createParallelSearch(c, data, workers, cp)
        : await Search.restore(cp, data);
    seconds0 = cp.seconds ?? 0;
    console.error(`resuming ${f.checkpoint} at step ${cp.step} (its settings win over the flags)`);
  } else {
    const data = searchDataFromImages(images, {
      scale: config.scale,
      patch: config.patch,
      batch: config.batch,
      seed: config.seed,
    });
    if (data.skipped.length)
      console.error(
        `skipped ${data.skipped.length} image(s) smaller than the patch: ${data.skipped.join(', ')}`,
      );
    const workers = Math.min(f.workers ?? defaultWorkers(), config.batch);
    search =
      workers > 1 ? await createParallelSearch(config, data, workers) : new Search(config, data);
    if (f.log) await writeFile(f.log, '');
  }
  const c = search.config;
  console.error(
    `search x${c.scale} on ${backend}${'workers' in search ? ` × ${search.workers} threads` : ''}: ${images.length} images, ${c.cells} cells, C=${c.channels}, ` +
      `k=${c.k}, groups=${c.groups}, batch ${c.batch}, patch ${c.patch}, ${c.epochs} epochs × ` +
      `${c.stepsPerEpoch} steps (α/β from epoch ${c.warmupEpochs}), μ=${c.mu} ρ=${c.rho} ` +
      `λ=${c.lambda} γ=${c.gamma} l1=${c.l1Target} seed ${c.seed}`,
  );

  const bar = new Progress(search.totalSteps, { label: 'search' });
  bar.update(search.stepCount);
  let snap: SearchSnapshot | undefined;
  const seconds = () => seconds0 + (Date.now() - t0) / 1000;
  try {
    while (!search.done) {
      snap = await search.step();
      if (f.log && (snap.step % f.logEvery === 0 || search.done))
        await appendFile(f.log, JSON.stringify({ ...snap, seconds: seconds() }) + '\n');
      bar.update(
        snap.step,
        `ep ${snap.epoch} wL1 ${snap.wLoss.toFixed(4)} vL1 ${Number.isNaN(snap.valLoss) ? '-' : snap.valLoss.toFixed(4)} ` +
          `max|p-1/6| ${maxDeviationFromUniform(snap.alphaSoftmax).toFixed(4)}`,
      );
      if (f.checkpoint && snap.step % c.stepsPerEpoch === 0) {
        const cp = { ...(await search.checkpoint()), seconds: seconds() };
        await writeAtomic(f.checkpoint, JSON.stringify(cp));
      }
    }
    bar.done();
    if (!snap)
      throw new Error('the checkpoint is already at the last step; nothing to do (use --fresh)');
    const secs = seconds();
    const g = toGenotypeJSON(snap.genotype, c.scale, {
      mu: snap.settings.mu,
      rho: snap.settings.rho,
      lambda: snap.settings.lambda,
      gamma: snap.settings.gamma,
      nu: snap.settings.nu,
      l1Target: snap.settings.l1Target,
      epochs: c.epochs,
      seed: c.seed,
      channels: c.channels,
      cells: c.cells,
      k: c.k,
      groups: c.groups,
      alpha: snap.alpha,
      gates: snap.gates,
      backend,
      seconds: Math.round(secs * 10) / 10,
    });
    const text = JSON.stringify(g, null, 2) + '\n';
    await writeAtomic(f.out, text);
    console.log(text.trimEnd());
    console.error(
      `wrote ${f.out}: ${snap.step} steps in ${secs.toFixed(1)} s (${(snap.stepMs / 1000).toFixed(2)} s last step), ` +
        `max|p-1/6| = ${maxDeviationFromUniform(snap.alphaSoftmax).toFixed(4)}, ` +
        `derived params (C=${c.channels}, ${c.cells} cells) = ${snap.derivedParams}`,
    );
    return 0;
  } finally {
    await search.dispose();
  }
}
