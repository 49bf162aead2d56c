/** `srbnas search`: the SRBNAS architecture search on training images (T91), headless. */
import { existsSync } from 'node:fs';
import { appendFile, readFile } from 'node:fs/promises';
import path from 'node:path';
import { loadImageDir } from '../node/data/loadDir';
import { heldOutIndices } from '../core/train/data';
import { searchGenotypeJSON } from '../core/search/genotype';
import { SearchSession, singleThreadSearch, type SessionCheckpoint } from '../core/search/session';
import type { SearchConfig, SearchSnapshot } from '../core/search/types';
import {
  SEARCH_PRESET_NAMES,
  SEARCH_PRESETS,
  presetOf,
  type SearchPresetName,
} from '../core/search/presets';
import { maxDeviation } from '../core/search/signal';
import { helpText, parseArgs, UsageError, type CommandSpec } from './args';
import { findDatasets, writeOutput } from './io';
import { writeAtomic } from './modelFiles';
import { startWasmBackend } from './nodeBackend';
import { defaultWorkers } from '../node/parallel/spawn';
import { createParallelSearch } from '../node/parallel/parallelSearchNode';
import { Progress } from './progress';

/** A number flag whose default comes from the preset (so an explicit value can be told apart). */
const num = (help: string, integer = false, min?: number) =>
  ({ type: 'number', integer, min, help: `${help} (default: the preset's)` }) as const;

const presetHelp = SEARCH_PRESET_NAMES.map(
  (n) => `  ${n.padEnd(9)} ${SEARCH_PRESETS[n].summary}`,
).join('\n');

const spec = {
  name: 'search',
  summary: 'SRBNAS search (first-order DARTS over binary ops) on training images.',
  usage: 'srbnas search --data <T91 dir> [--preset demo] [--scale 3] --out genotype.json [options]',
  flags: {
    preset: {
      type: 'choice',
      choices: SEARCH_PRESET_NAMES,
      default: 'standard',
      help: 'settings to start from (flags below override single values)',
    },
    data: { type: 'string', metavar: 'DIR', help: 'training images (default: <datasets>/T91)' },
    scale: { type: 'number', integer: true, min: 2, max: 4, default: 3, help: 'SR scale' },
    epochs: num('search epochs', true, 1),
    stepsPerEpoch: num('steps per epoch (each: a w-step and, after warm-up, an α/β-step)', true, 1),
    warmup: {
      type: 'number',
      integer: true,
      min: 0,
      help: "epochs before α/β steps (default: the preset's, or 25% of --epochs)",
    },
    regEpochs: {
      type: 'number',
      integer: true,
      min: 1,
      help: 'E of lin(e) = min(1, e/E) (default: epochs)',
    },
    mu: num('μ: L1 weight in R(α)'),
    rho: num('ρ: L2 weight in R(α)'),
    lambda: num('λ: weight of R(α)'),
    gamma: num('γ: weight of R(β)'),
    nu: num('ν: gate-sum weight in R(β)'),
    l1Target: {
      type: 'choice',
      choices: ['softmax', 'logits'],
      help: "μ term on softmax(α) (the paper; zero gradient) or on the logits α (default: the preset's)",
    },
    seed: {
      type: 'number',
      integer: true,
      default: 1,
      help: 'random seed (weights, α, split, crops)',
    },
    cells: num('cells N', true, 1),
    channels: num('channels C', true, 1),
    k: num('partial-channel factor k', true, 1),
    groups: num('binary conv groups', true, 1),
    batch: num('batch size', true, 1),
    patch: num('LR patch size', true, 4),
    alphaInit: num('α init std (0 = exactly uniform)', false, 0),
    dataWeight: num('κ: weight of the validation L1 in L_arch', false, 0),
    wLr: num('weight learning rate (Adam)', false, 0),
    archLr: num('α/β learning rate (Adam, betas 0.5/0.999)', false, 0),
    archWd: num('α/β weight decay', false, 0),
    splitSeed: {
      type: 'number',
      integer: true,
      min: 0,
      help: "seed of the w-train/α-val image split (default: the preset's, else --seed)",
    },
    holdOut: {
      type: 'number',
      integer: true,
      min: 0,
      default: 0,
      help: 'leave out the N images `srbnas train --val-images N --seed S` holds out (S = --hold-out-seed), so they stay unseen for scoring',
    },
    holdOutSeed: {
      type: 'number',
      integer: true,
      min: 0,
      default: 1,
      help: 'the training seed whose held-out images --hold-out leaves out',
    },
    out: {
      type: 'string',
      alias: 'o',
      default: 'genotype.json',
      metavar: 'FILE',
      help: 'genotype JSON to write',
    },
    log: {
      type: 'string',
      metavar: 'FILE',
      help: 'JSON lines log: the step-0 snapshot, then one per logged step',
    },
    logEvery: { type: 'number', integer: true, min: 1, default: 1, help: 'log every N steps' },
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
    'Presets:\n' +
    presetHelp +
    '\n\nExample (the demo preset, a few minutes on two cores):\n' +
    '  srbnas search --preset demo --data ../shared/datasets/T91 --scale 3 \\\n' +
    '    --out runs/search/genotype.json --log runs/search/log.jsonl',
} satisfies CommandSpec;

type Flags = ReturnType<typeof parseArgs<typeof spec.flags>>['flags'];

/** The search config a command line asks for (tests; the CLI itself parses once in run()). */
export function searchConfigFromArgv(argv: string[]): SearchConfig {
  return configFromFlags(parseArgs(argv, spec).flags);
}

/** The search config of the flags: the preset, then every flag given explicitly. */
export function configFromFlags(f: Flags): SearchConfig {
  const p = SEARCH_PRESETS[f.preset as SearchPresetName].config;
  const epochs = f.epochs ?? p.epochs;
  return {
    ...p,
    scale: f.scale as 2 | 3 | 4,
    seed: f.seed,
    cells: f.cells ?? p.cells,
    channels: f.channels ?? p.channels,
    k: f.k ?? p.k,
    groups: f.groups ?? p.groups,
    epochs,
    stepsPerEpoch: f.stepsPerEpoch ?? p.stepsPerEpoch,
    batch: f.batch ?? p.batch,
    patch: f.patch ?? p.patch,
    warmupEpochs: f.warmup ?? (f.epochs === undefined ? p.warmupEpochs : Math.floor(epochs / 4)),
    regEpochs: f.regEpochs ?? (f.epochs === undefined ? p.regEpochs : epochs),
    mu: f.mu ?? p.mu,
    rho: f.rho ?? p.rho,
    lambda: f.lambda ?? p.lambda,
    gamma: f.gamma ?? p.gamma,
    nu: f.nu ?? p.nu,
    l1Target: (f.l1Target as SearchConfig['l1Target'] | undefined) ?? p.l1Target,
    alphaInitStd: f.alphaInit ?? p.alphaInitStd,
    dataWeight: f.dataWeight ?? p.dataWeight,
    wLr: f.wLr ?? p.wLr,
    archLr: f.archLr ?? p.archLr,
    archWeightDecay: f.archWd ?? p.archWeightDecay,
    ...(f.splitSeed !== undefined || p.splitSeed !== undefined
      ? { splitSeed: f.splitSeed ?? p.splitSeed }
      : {}),
  };
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

  const config = configFromFlags(f);
  if (config.warmupEpochs >= config.epochs)
    throw new UsageError(
      `--warmup (${config.warmupEpochs}) must be below --epochs (${config.epochs})`,
    );

  const t0 = Date.now();
  const all = await loadImageDir(dataDir);
  // Left out the same way `srbnas train --val-images N --seed S` holds images out (same order).
  const held = heldOutIndices(all.length, f.holdOut, f.holdOutSeed);
  const images = all.filter((_, i) => !held.has(i));
  if (held.size)
    console.error(
      `held out ${held.size} image(s) for scoring: ${[...held].map((i) => all[i].name).join(', ')}`,
    );
  let checkpoint: SessionCheckpoint | undefined;
  if (f.checkpoint && existsSync(f.checkpoint) && !f.fresh)
    checkpoint = JSON.parse(await readFile(f.checkpoint, 'utf8')) as SessionCheckpoint;
  const session = await SearchSession.open(images, config, {
    checkpoint,
    checkpointEachEpoch: !!f.checkpoint,
    startedAt: t0, // the run's seconds count loading the images too
    engine: (c, data, cp) => {
      const workers = Math.min(f.workers ?? defaultWorkers(), c.batch);
      return workers > 1
        ? createParallelSearch(c, data, workers, cp)
        : singleThreadSearch(c, data, cp);
    },
  });
  const search = session.engine;
  if (checkpoint)
    console.error(
      `resuming ${f.checkpoint} at step ${checkpoint.step} (its settings win over the flags)`,
    );
  else {
    if (session.skipped.length)
      console.error(
        `skipped ${session.skipped.length} image(s) smaller than the patch: ${session.skipped.join(', ')}`,
      );
    if (f.log) {
      // The first line is the step-0 snapshot (the initialisation, before any update), so a
      // log says what the search changed from what it began with (`srbnas search-report`).
      const s0 = await session.initialSnapshot();
      await writeOutput(f.log, JSON.stringify({ ...s0, seconds: 0 }) + '\n');
    }
  }
  const c = search.config;
  const preset = presetOf(c);
  console.error(
    `preset ${preset ?? `custom (from ${f.preset})`}: κ=${c.dataWeight ?? 1} α/β lr ${c.archLr}`,
  );
  console.error(
    `search x${c.scale} on ${backend}${'workers' in search ? ` × ${search.workers} threads` : ''}: ${images.length} images, ${c.cells} cells, C=${c.channels}, ` +
      `k=${c.k}, groups=${c.groups}, batch ${c.batch}, patch ${c.patch}, ${c.epochs} epochs × ` +
      `${c.stepsPerEpoch} steps (α/β from epoch ${c.warmupEpochs}), μ=${c.mu} ρ=${c.rho} ` +
      `λ=${c.lambda} γ=${c.gamma} l1=${c.l1Target} seed ${c.seed}`,
  );

  const bar = new Progress(session.totalSteps, { label: 'search' });
  bar.update(session.stepCount);
  let snap: SearchSnapshot | undefined;
  const seconds = () => session.elapsedSeconds();
  try {
    while (!session.done) {
      const r = await session.step();
      snap = r.snapshot;
      if (f.log && (snap.step % f.logEvery === 0 || session.done))
        await appendFile(f.log, JSON.stringify({ ...snap, seconds: seconds() }) + '\n');
      bar.update(
        snap.step,
        `ep ${snap.epoch} wL1 ${snap.wLoss.toFixed(4)} vL1 ${Number.isNaN(snap.valLoss) ? '-' : snap.valLoss.toFixed(4)} ` +
          `max|p-1/6| ${maxDeviation(snap.alphaSoftmax).toFixed(4)}`,
      );
      if (r.checkpoint) await writeAtomic(f.checkpoint!, JSON.stringify(r.checkpoint));
    }
    bar.done();
    if (!snap)
      throw new Error('the checkpoint is already at the last step; nothing to do (use --fresh)');
    const secs = seconds();
    const g = searchGenotypeJSON(c, snap, { backend, seconds: secs });
    const text = JSON.stringify(g, null, 2) + '\n';
    await writeAtomic(f.out, text);
    console.log(text.trimEnd());
    console.error(
      `wrote ${f.out}: ${snap.step} steps in ${secs.toFixed(1)} s (${(snap.stepMs / 1000).toFixed(2)} s last step), ` +
        `max|p-1/6| = ${maxDeviation(snap.alphaSoftmax).toFixed(4)}, ` +
        `derived params (C=${c.channels}, ${c.cells} cells) = ${snap.derivedParams}`,
    );
    return 0;
  } finally {
    await session.dispose();
  }
}
