/** `srbnas train`: train a derived genotype (or a baseline) on T91 patches, with checkpoints. */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { loadImageDir } from '../node/data/loadDir';
import {
  ARCHS,
  describeArch,
  type ArchConfig,
  type ArchName,
  type Scale,
} from '../core/model/config';
import { countModel } from '../core/model/count';
import { serializeModel, type TrainingMeta } from '../core/model/format';
import { validateGenotypeJSON, type GenotypeJSON } from '../core/search/genotype';
import { trainDataFromImages } from '../core/train/data';
import { TrainSession } from '../core/train/session';
import type { TrainConfig } from '../core/train/trainer';
import type { ParallelTrainer } from '../core/parallel/parallelTrainer';
import { createParallelTrainer } from '../node/parallel/parallelTrainerNode';
import { helpText, parseArgs, UsageError, type CommandSpec } from './args';
import { writeAtomic, writeModelDir } from './modelFiles';
import { startWasmBackend } from './nodeBackend';
import { Progress } from './progress';

const spec = {
  name: 'train',
  summary:
    'Train a searched genotype (or a baseline) on training images; resumes from checkpoints.',
  usage: 'srbnas train --genotype g.json --data <T91 dir> --out models/name/ [options]',
  flags: {
    arch: { type: 'choice', choices: ARCHS, default: 'srbnas', help: 'network to train' },
    genotype: { type: 'string', metavar: 'FILE', help: 'genotype JSON (arch srbnas)' },
    scale: {
      type: 'number',
      integer: true,
      min: 2,
      max: 4,
      help: "SR scale (default: the genotype's, else 3)",
    },
    cells: { type: 'number', integer: true, min: 1, default: 3, help: 'cells N (srbnas)' },
    channels: { type: 'number', integer: true, min: 1, default: 64, help: 'channels C' },
    groups: {
      type: 'number',
      integer: true,
      min: 1,
      help: 'binary conv groups (default: 4 for srbnas, as the search space; 1 for the BNN baselines, as VDSR/SRResNet)',
    },
    blocks: {
      type: 'number',
      integer: true,
      min: 0,
      default: 16,
      help: 'residual blocks (srresnet-bnn)',
    },
    layers: {
      type: 'number',
      integer: true,
      min: 0,
      default: 18,
      help: 'binary layers (vdsr-bnn)',
    },
    data: { type: 'string', required: true, metavar: 'DIR', help: 'training images (T91)' },
    epochs: { type: 'number', integer: true, min: 1, default: 100, help: 'epochs' },
    stepsPerEpoch: { type: 'number', integer: true, min: 1, default: 100, help: 'steps per epoch' },
    batch: { type: 'number', integer: true, min: 1, default: 16, help: 'batch size' },
    patch: { type: 'number', integer: true, min: 4, default: 24, help: 'LR patch size' },
    lr: { type: 'number', min: 0, default: 1e-3, help: 'Adam learning rate' },
    seed: {
      type: 'number',
      integer: true,
      min: 0,
      default: 1,
      help: 'seed (weights, split, crops)',
    },
    valImages: {
      type: 'number',
      integer: true,
      min: 0,
      default: 5,
      help: 'held-out training images for validation PSNR',
    },
    out: {
      type: 'string',
      required: true,
      metavar: 'DIR',
      help: 'output folder (model.json, weights.bin, checkpoint.srbc)',
    },
    checkpointMinutes: {
      type: 'number',
      min: 0,
      default: 5,
      help: 'save a checkpoint at least this often',
    },
    fresh: { type: 'boolean', help: 'ignore an existing checkpoint in --out and start over' },
    keepBest: {
      type: 'boolean',
      help: 'also keep the model of the epoch with the best validation PSNR in <out>/best (selection on held-out training images, never on test sets)',
    },
    workers: {
      type: 'number',
      integer: true,
      min: 1,
      default: 1,
      help: 'data-parallel worker threads, for free cores (each takes a share of every batch; the result equals 1 thread up to float rounding)',
    },
    stopAfter: {
      type: 'number',
      integer: true,
      min: 1,
      metavar: 'STEPS',
      help: 'stop (with a checkpoint) after this many steps in this session',
    },
  },
  epilog:
    'A run stopped at any point continues where it stopped when the same command is run again\n' +
    '(the checkpoint in --out holds weights, Adam state, data position and history; its\n' +
    'settings win over the flags). The model in --out is rewritten after every epoch.',
} satisfies CommandSpec;

const CHECKPOINT = 'checkpoint.srbc';

interface RunState {
  commands: string[];
  valPsnr: number[];
  valSsim: number[];
  valPsnrBicubic: number;
  seconds: number;
  genotype?: GenotypeJSON;
  data: string;
  valImages: number;
  trainImages: number;
  valNames: string[];
}

async function readGenotype(file: string): Promise<GenotypeJSON> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch (e) {
    throw new Error(`${file}: cannot read genotype JSON (${e instanceof Error ? e.message : e})`);
  }
  const v = validateGenotypeJSON(raw);
  if (!v.ok) throw new Error(`${file}: ${v.message}`);
  return v.value;
}

function archFromFlags(
  flags: {
    arch: string;
    cells: number;
    channels: number;
    groups?: number;
    blocks: number;
    layers: number;
  },
  scale: Scale,
  genotype?: GenotypeJSON,
): ArchConfig {
  const name = flags.arch as ArchName;
  const f = { ...flags, groups: flags.groups ?? (name === 'srbnas' ? 4 : 1) };
  switch (name) {
    case 'srbnas':
      if (!genotype) throw new UsageError('--genotype is required for --arch srbnas');
      return {
        arch: 'srbnas',
        scale,
        genotype: { normal: genotype.normal, normal_concat: genotype.normal_concat },
        cells: f.cells,
        channels: f.channels,
        groups: f.groups,
      };
    case 'espcn':
      return { arch: 'espcn', scale, widths: [64, 32] };
    case 'srresnet-bnn':
      return {
        arch: 'srresnet-bnn',
        scale,
        blocks: f.blocks,
        channels: f.channels,
        groups: f.groups,
      };
    case 'vdsr-bnn':
      return { arch: 'vdsr-bnn', scale, layers: f.layers, channels: f.channels, groups: f.groups };
  }
}

export async function runTrain(argv: string[]): Promise<number> {
  const args = parseArgs(argv, spec);
  if (args.help) {
    console.log(helpText(spec));
    return 0;
  }
  const f = args.flags;
  const out = f.out;
  const ckptFile = path.join(out, CHECKPOINT);
  const command = 'srbnas train ' + argv.join(' ');
  const backend = await startWasmBackend();

  const rebuild = (h: { architecture: ArchConfig; config: TrainConfig; extra: RunState }) =>
    loadImageDir(h.extra.data).then((images) =>
      trainDataFromImages(images, {
        scale: h.architecture.scale,
        patch: h.config.patch,
        batch: h.config.batch,
        seed: h.config.seed,
        valImages: h.extra.valImages,
      }),
    );
  const opts = { checkpointEveryMs: f.checkpointMinutes * 60_000, now: () => performance.now() };
  let session: TrainSession<RunState>;
  if (existsSync(ckptFile) && !f.fresh) {
    session = await TrainSession.restore<RunState>(
      new Uint8Array(await readFile(ckptFile)),
      ckptFile,
      rebuild,
      opts,
    );
    session.history.commands.push(command);
    console.error(
      `resuming ${ckptFile} at step ${session.stepCount} (its settings win over the flags)`,
    );
  } else {
    const genotype = f.genotype ? await readGenotype(f.genotype) : undefined;
    const scale = (f.scale ?? genotype?.scale ?? 3) as Scale;
    if (genotype && genotype.scale !== scale)
      console.error(`note: genotype was searched at x${genotype.scale}, training at x${scale}`);
    const arch = archFromFlags(f, scale, genotype);
    const config: TrainConfig = {
      epochs: f.epochs,
      stepsPerEpoch: f.stepsPerEpoch,
      batch: f.batch,
      patch: f.patch,
      lr: f.lr,
      seed: f.seed,
      tMin: 0.1,
      tMax: 10,
    };
    const images = await loadImageDir(f.data);
    const data = trainDataFromImages(images, {
      scale,
      patch: f.patch,
      batch: f.batch,
      seed: f.seed,
      valImages: f.valImages,
    });
    session = TrainSession.fresh(
      arch,
      config,
      data,
      {
        commands: [command],
        valPsnr: [],
        valSsim: [],
        valPsnrBicubic: NaN,
        seconds: 0,
        genotype,
        data: path.resolve(f.data),
        valImages: f.valImages,
        trainImages: data.trainNames.length,
        valNames: data.valNames,
      },
      opts,
    );
  }
  const state = session.history;
  const data = session.data;
  const arch = session.trainer.architecture;
  const cfg = session.trainer.config;
  // Data-parallel threads: built from the session's exact state, so fresh and resumed runs take
  // the same path; their local replica then stands in for the trainer.
  const workers = Math.min(f.workers, cfg.batch);
  let parallel: ParallelTrainer | undefined;
  if (workers > 1)
    await session.distribute(async (cp) => {
      parallel = await createParallelTrainer(arch, cfg, data.sampler, workers, cp);
      return parallel;
    });
  if (session.valBicubic) state.valPsnrBicubic = session.valBicubic.psnr;
  const counts = countModel(arch);
  console.error(
    `${describeArch(arch)}: ${counts.params} params (${counts.binaryParams} binary), ` +
      `${(counts.sizeBytes / 1024).toFixed(1)} KiB; ${state.trainImages} train / ` +
      `${data.val.length} val images (bicubic val ${state.valPsnrBicubic.toFixed(2)} dB); backend ${backend}` +
      (parallel ? ` × ${parallel.workers} threads` : ''),
  );

  const saveCheckpoint = (bytes: Uint8Array) => writeAtomic(ckptFile, bytes);
  const saveModel = async (dir = out) => {
    const trainer = session.trainer;
    const training: TrainingMeta = {
      commands: state.commands,
      data: state.data,
      trainImages: state.trainImages,
      valImages: state.valNames,
      epochs: cfg.epochs,
      epochsDone: trainer.epoch,
      stepsPerEpoch: cfg.stepsPerEpoch,
      batch: cfg.batch,
      patch: cfg.patch,
      lr: cfg.lr,
      seed: cfg.seed,
      valPsnr: state.valPsnr,
      valPsnrBicubic: state.valPsnrBicubic,
      seconds: session.elapsedSeconds(),
      backend,
      ...(parallel ? { workers: parallel.workers } : {}),
      finishedAt: new Date().toISOString(),
    };
    await writeModelDir(
      dir,
      await serializeModel(trainer.net, {
        name: path.basename(path.resolve(out)),
        genotype: state.genotype,
        training,
      }),
    );
  };

  const bar = new Progress(session.totalSteps, { label: 'train' });
  bar.update(session.stepCount);
  let sessionSteps = 0;
  let lossAvg = NaN;
  const lastVal = () =>
    state.valPsnr.length ? ` val ${state.valPsnr[state.valPsnr.length - 1].toFixed(2)}dB` : '';
  try {
    while (!session.done && (f.stopAfter === undefined || sessionSteps < f.stopAfter)) {
      const r = await session.step();
      sessionSteps++;
      lossAvg = Number.isNaN(lossAvg) ? r.loss : 0.98 * lossAvg + 0.02 * r.loss;
      bar.update(r.step, `ep ${r.epoch + 1}/${cfg.epochs} L1 ${lossAvg.toFixed(4)}${lastVal()}`);
      if (r.val)
        console.error(
          `\nepoch ${r.epoch + 1}: val PSNR ${r.val.psnr.toFixed(3)} dB (bicubic ${state.valPsnrBicubic.toFixed(3)}), SSIM ${r.val.ssim.toFixed(4)}, L1 ${lossAvg.toFixed(4)}, ${tf.memory().numTensors} tensors`,
        );
      if (r.checkpoint) await saveCheckpoint(r.checkpoint);
      if (r.epochEnd) {
        await saveModel();
        const v = state.valPsnr;
        if (f.keepBest && v.length && v[v.length - 1] >= Math.max(...v)) {
          await saveModel(path.join(out, 'best'));
          console.error(
            `epoch ${r.epoch + 1} is the best so far: kept in ${path.join(out, 'best')}`,
          );
        }
      }
    }
    await saveCheckpoint(await session.checkpoint());
    await saveModel();
  } finally {
    bar.done();
  }
  console.error(
    session.done
      ? `done: ${out}/model.json (${session.stepCount} steps, ${state.seconds.toFixed(0)} s)`
      : `stopped at step ${session.stepCount}; run the same command to continue`,
  );
  await session.dispose();
  return 0;
}
