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
import {
  LIVE_KEYS,
  PARAMS_BY_KEY,
  SEARCH_PARAMS,
  formatSettings,
  searchConfigProblems,
  type ParamKey,
  type SearchParam,
} from '../core/search/params';
import { flagName, helpText, parseArgs, UsageError, type CommandSpec, type FlagSpec } from './args';
import { findDatasets, writeOutput } from './io';
import { writeAtomic } from './modelFiles';
import { startWasmBackend } from './nodeBackend';
import { defaultWorkers } from '../node/parallel/spawn';
import { createParallelSearch } from '../node/parallel/parallelSearchNode';
import { Progress } from './progress';

/**
 * The flag of one settings-table row (src/core/search/params.ts): its range, and no default of
 * its own, so an explicit value can be told apart from the preset's.
 */
function paramFlag(p: SearchParam): FlagSpec {
  // The symbol leads the help unless the help already names it ('cells N').
  const named = p.symbol && new RegExp(`(^|[^\\p{L}])${p.symbol}([^\\p{L}]|$)`, 'u').test(p.help);
  const lead = p.symbol && !named ? `${p.symbol}: ` : '';
  const help = `${lead}${p.help} (default: ${p.cliDefault ?? "the preset's"})`;
  if (p.type === 'choice') return { type: 'choice', choices: p.choices.map(String), help };
  return { type: 'number', integer: p.integer, min: p.min, max: p.max, help };
}

/** One flag per settings-table row, under the row's flag name. */
const paramFlags: Record<string, FlagSpec> = Object.fromEntries(
  SEARCH_PARAMS.map((p) => [p.flag, paramFlag(p)]),
);

const presetHelp = SEARCH_PRESET_NAMES.map(
  (n) => `  ${n.padEnd(9)} ${SEARCH_PRESETS[n].summary}`,
).join('\n');

export const spec = {
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
    ...paramFlags,
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

/**
 * The search config of the flags: the preset, then every flag given explicitly; refused with a
 * usage error naming the flags when the settings table's validator finds a problem.
 */
export function configFromFlags(f: Flags): SearchConfig {
  const out: Record<string, unknown> = { ...SEARCH_PRESETS[f.preset as SearchPresetName].config };
  // The table's flags, by their names (their values were range-checked by parseArgs).
  const given = f as unknown as Record<string, unknown>;
  for (const p of SEARCH_PARAMS) {
    const v = given[p.flag];
    if (v === undefined) continue;
    out[p.key] = p.type === 'choice' ? p.choices.find((c) => String(c) === v) : v;
  }
  // A new epoch count brings its own warm-up (25 %) and ramp unless they are given too.
  const flagOf = (k: ParamKey) => given[PARAMS_BY_KEY[k].flag];
  const epochs = flagOf('epochs') as number | undefined;
  if (epochs !== undefined) {
    if (flagOf('warmupEpochs') === undefined) out.warmupEpochs = Math.floor(epochs / 4);
    if (flagOf('regEpochs') === undefined) out.regEpochs = epochs;
  }
  const config = out as unknown as SearchConfig;
  const problems = searchConfigProblems(config);
  if (problems.length)
    throw new UsageError(
      problems
        .map(
          (p) =>
            `${p.keys.map((k) => `--${flagName(PARAMS_BY_KEY[k].flag)}`).join(', ')}: ${p.message}`,
        )
        .join('; '),
    );
  return config;
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
      `${c.stepsPerEpoch} steps (α/β from epoch ${c.warmupEpochs}), ${formatSettings(c, LIVE_KEYS, ' ')} ` +
      `seed ${c.seed}`,
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
