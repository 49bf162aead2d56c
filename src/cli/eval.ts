/**
 * `srbnas eval`: PSNR/SSIM of an upscaler on the benchmark sets (docs/design.md §3), as a
 * dataset x scale table. Also home of the model registry shared with `srbnas upscale`.
 */
import type { Image } from '../core/image/image';
import { upscaleBicubic } from '../core/image/bicubic';
import {
  evaluatePairs,
  type DatasetScore,
  type PairSource,
  type Upscaler,
} from '../core/metrics/evaluate';
import { helpText, parseArgs, UsageError, type CommandSpec } from './args';
import { findDatasets, listPairs, readImage, writeOutput } from './io';
import { Progress } from './progress';
import { DEFAULT_ENGINE, loadTrainedUpscaler } from './modelRegistry';
import { ENGINES, type Engine } from '../core/model/network';

export interface ModelEntry {
  description: string;
  /** Build the upscaler (load weights, pick a backend...). */
  create: () => Promise<Upscaler>;
}

/**
 * Models selectable with --model. A trained model registers itself here with a factory that
 * returns an Upscaler; eval and upscale need nothing else.
 */
export const MODELS: Record<string, ModelEntry> = {
  bicubic: {
    description: 'MATLAB-style bicubic (uint8, rounded after each pass): the standard baseline',
    create: async () => async (lr: Image, scale: number) => upscaleBicubic(lr, scale),
  },
};

/** The Upscaler for `--model`; a trained model also tells its scale. */
export async function getUpscaler(
  name: string,
  tile?: number,
  engine?: Engine,
  threads?: number,
): Promise<Upscaler & { scale?: number; dispose?: () => void }> {
  const entry = MODELS[name];
  if (!entry) {
    const trained = await loadTrainedUpscaler(name, tile, engine, threads);
    if (trained) return trained;
    throw new UsageError(
      `--model: unknown model '${name}' (known: ${Object.keys(MODELS).join(', ')}, or a trained model folder)`,
    );
  }
  return entry.create();
}

/** Evaluate one benchmark set at one scale from <dir>/<set>/x<scale>/{HR,LR}. */
export async function evaluateDataset(
  upscaler: Upscaler,
  dir: string,
  set: string,
  scale: number,
  onImage?: Parameters<typeof evaluatePairs>[3],
  roundY = false,
): Promise<DatasetScore> {
  return evaluatePairs(upscaler, pairSources(dir, set, scale), scale, onImage, { roundY });
}

function pairSources(dir: string, set: string, scale: number): PairSource[] {
  return listPairs(dir, set, scale).map((p) => ({
    name: p.name,
    load: async () => ({ hr: await readImage(p.hr), lr: await readImage(p.lr) }),
  }));
}

export const evalSpec = {
  name: 'eval',
  summary: 'PSNR/SSIM (Y channel, border = scale) of a model on Set5/Set14/BSD100.',
  usage: 'srbnas eval [--model bicubic] [--data DIR] [--sets A,B] [--scale 2,3,4] [--json FILE]',
  flags: {
    model: { type: 'string', default: 'bicubic', metavar: 'NAME', help: 'model to evaluate' },
    data: {
      type: 'string',
      metavar: 'DIR',
      help: 'datasets folder with <set>/x<s>/{HR,LR} (default: $SRBNAS_DATASETS or ../shared/datasets)',
    },
    sets: { type: 'list', default: ['Set5', 'Set14', 'BSD100'], help: 'benchmark sets' },
    scale: {
      type: 'numberList',
      integer: true,
      min: 2,
      max: 8,
      default: [2, 3, 4],
      help: 'scales',
    },
    json: { type: 'string', metavar: 'FILE', help: 'also write all scores (per image) as JSON' },
    engine: {
      type: 'choice',
      choices: ENGINES,
      default: DEFAULT_ENGINE,
      help: 'trained models: packed (1-bit weights, XNOR-popcount kernel) or float (the reference; same output)',
    },
    roundY: {
      type: 'boolean',
      help: 'round Y to integers before the metrics (MATLAB uint8 convention)',
    },
  },
  epilog: `models: ${Object.keys(MODELS).join(', ')}, or a trained model folder (e.g. public/models/x3)`,
} satisfies CommandSpec;

function formatTable(
  model: string,
  sets: string[],
  scales: number[],
  scores: Map<string, DatasetScore>,
): string {
  const cell = (s: DatasetScore | undefined) =>
    s ? `${s.psnr.toFixed(2)} / ${s.ssim.toFixed(4)}` : '-';
  const head = ['dataset', ...scales.map((s) => `x${s} PSNR / SSIM`)];
  const rows = sets.map((set) => [set, ...scales.map((s) => cell(scores.get(`${set}:${s}`)))]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) =>
    r
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  return [
    `${model}: mean PSNR (dB) / SSIM over images, Y channel (BT.601), border = scale`,
    line(head),
    ...rows.map(line),
  ].join('\n');
}

export async function runEval(argv: string[]): Promise<number> {
  const args = parseArgs(argv, evalSpec);
  if (args.help) {
    console.log(helpText(evalSpec));
    return 0;
  }
  const { model, sets, scale: scales, json, roundY, engine } = args.flags;
  const dir = args.flags.data ?? findDatasets();
  if (!dir) {
    throw new UsageError('no datasets folder: pass --data DIR or set SRBNAS_DATASETS');
  }
  // The model first (a bad --model fails at once), then every pair listed, so a bad data path
  // fails before any work.
  const upscaler = await getUpscaler(model, undefined, engine as Engine);
  const plan = sets.flatMap((set) =>
    scales.map((s) => ({ set, scale: s, count: listPairs(dir, set, s).length })),
  );
  const total = plan.reduce((a, p) => a + p.count, 0);
  const bar = new Progress(total, { label: `eval ${model}` });
  const start = Date.now();
  const scores = new Map<string, DatasetScore>();
  for (const p of plan) {
    const res = await evaluateDataset(
      upscaler,
      dir,
      p.set,
      p.scale,
      (s) => bar.tick(1, `${p.set} x${p.scale} ${s.name} ${s.psnr.toFixed(2)} dB`),
      roundY,
    );
    scores.set(`${p.set}:${p.scale}`, res);
  }
  const seconds = (Date.now() - start) / 1000;
  bar.done(`${total} images`);
  console.log(formatTable(model, sets, scales, scores));
  console.log(`${total} images in ${seconds.toFixed(1)} s`);
  if (json) {
    const out = {
      model,
      data: dir,
      convention: { channel: 'Y (BT.601)', border: 'scale', roundY, ssim: '11x11 gaussian 1.5' },
      seconds,
      results: plan.map((p) => ({
        set: p.set,
        scale: p.scale,
        ...scores.get(`${p.set}:${p.scale}`),
      })),
    };
    await writeOutput(json, JSON.stringify(out, null, 2) + '\n');
    console.log(`wrote ${json}`);
  }
  return 0;
}

export const run = runEval;
