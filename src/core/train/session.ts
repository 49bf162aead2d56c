import type { SrScore } from '../metrics/evaluate';
import type { ArchConfig } from '../model/config';
import type { TrainData } from './data';
import { pack, unpack } from './pack';
import { Trainer, type StepResult, type TrainCheckpointHeader, type TrainConfig } from './trainer';
import { validate, validateBicubic } from './validate';

/**
 * One training run, as `srbnas train` and the studio's worker both drive it: fresh or restored
 * from a checkpoint, stepped by the caller, validated on the held-out images at every epoch
 * end, and checkpointed at every epoch end (and, if asked, every so many minutes in between).
 * The callers keep only their I/O: where checkpoint bytes and models go, what they print or
 * post.
 */

/**
 * Run history kept inside every checkpoint (its `extra`), beside whatever else the caller
 * stores there (the CLI its commands and data folder, the studio its bicubic baseline). The
 * optional fields are kept when present.
 */
export interface TrainHistory {
  /** Validation PSNR (Y, dB) at each epoch end. */
  valPsnr: number[];
  valSsim?: number[];
  /** L1 loss of every step (the studio's curves survive a reload). */
  losses?: number[];
  /** Seconds of training so far; brought up to date at each checkpoint. */
  seconds?: number;
}

export interface SessionStep extends StepResult {
  /** Validation on the held-out images, at an epoch end (when there are any). */
  val?: SrScore;
  /** A checkpoint (packed SRBC bytes) when one was due: every epoch end, and by time. */
  checkpoint?: Uint8Array;
}

/** A data-parallel stand-in (the CLI's ParallelTrainer) stepping `trainer` with its replicas. */
export interface TrainStepper {
  readonly trainer: Trainer;
  step(): Promise<StepResult>;
  dispose(): Promise<void>;
}

export interface TrainSessionOptions {
  /** Also checkpoint when this long (ms) has passed since the last one; default never. */
  checkpointEveryMs?: number;
  /** Clock in ms (tests). */
  now?: () => number;
}

export class TrainSession<H extends TrainHistory = TrainHistory> {
  /** Plain bicubic on the validation images (null without any): the floor to beat. */
  readonly valBicubic: SrScore | null;
  private stepper: TrainStepper | null = null;
  private lastCheckpoint: number;
  private readonly started: number;
  private readonly secondsBefore: number;
  private readonly now: () => number;

  private constructor(
    private current: Trainer,
    readonly data: TrainData,
    readonly history: H,
    private readonly opts: TrainSessionOptions,
  ) {
    this.now = opts.now ?? (() => Date.now());
    this.started = this.now();
    this.lastCheckpoint = this.started;
    this.secondsBefore = history.seconds ?? 0;
    this.valBicubic = data.val.length
      ? validateBicubic(data.val, current.architecture.scale)
      : null;
  }

  /** A new run. */
  static fresh<H extends TrainHistory>(
    architecture: ArchConfig,
    config: TrainConfig,
    data: TrainData,
    history: H,
    opts: TrainSessionOptions = {},
  ): TrainSession<H> {
    return new TrainSession(new Trainer(architecture, config, data.sampler), data, history, opts);
  }

  /**
   * A run continued from checkpoint bytes: its settings (architecture, config, history) win;
   * `dataFor` rebuilds the same training data from them (same images, seed and split), and
   * the steps then continue bit for bit as if never stopped.
   */
  static async restore<H extends TrainHistory>(
    bytes: Uint8Array,
    source: string,
    dataFor: (header: TrainCheckpointHeader & { extra: H }) => TrainData | Promise<TrainData>,
    opts: TrainSessionOptions = {},
  ): Promise<TrainSession<H>> {
    const { header, data: buf } = unpack(bytes, source);
    const h = header as TrainCheckpointHeader & { extra: H };
    if (h?.format !== 'srbnas-train-checkpoint')
      throw new Error(`${source}: not a training checkpoint`);
    const data = await dataFor(h);
    return new TrainSession(Trainer.restore(header, buf, data.sampler), data, h.extra, opts);
  }

  get trainer(): Trainer {
    return this.current;
  }
  get done(): boolean {
    return this.current.done;
  }
  get stepCount(): number {
    return this.current.stepCount;
  }
  get totalSteps(): number {
    return this.current.totalSteps;
  }
  /** Seconds of training, earlier sessions of the run included. */
  elapsedSeconds(): number {
    return this.secondsBefore + (this.now() - this.started) / 1000;
  }

  /**
   * Hand the steps to a data-parallel stepper built from this trainer's exact state (so fresh
   * and restored runs take the same path); its local replica becomes the session's trainer.
   */
  async distribute(
    make: (cp: { header: TrainCheckpointHeader; data: ArrayBuffer }) => Promise<TrainStepper>,
  ) {
    const cp = await this.current.checkpoint();
    this.current.dispose();
    this.stepper = await make(cp);
    this.current = this.stepper.trainer;
  }

  /** One training step, then validation and a checkpoint when they are due. */
  async step(): Promise<SessionStep> {
    const r: SessionStep = await (this.stepper ?? this.current).step();
    this.history.losses?.push(r.loss);
    if (r.epochEnd) {
      if (this.data.val.length) {
        r.val = await validate(this.current.net, this.data.val);
        this.history.valPsnr.push(r.val.psnr);
        this.history.valSsim?.push(r.val.ssim);
      }
      r.checkpoint = await this.checkpoint();
    } else if (this.now() - this.lastCheckpoint > (this.opts.checkpointEveryMs ?? Infinity))
      r.checkpoint = await this.checkpoint();
    return r;
  }

  /** Everything needed to continue exactly here, history included, as one SRBC file. */
  async checkpoint(): Promise<Uint8Array> {
    if (this.history.seconds !== undefined) this.history.seconds = this.elapsedSeconds();
    const extra = { ...this.history } as unknown as Record<string, unknown>;
    const { header, data } = await this.current.checkpoint(extra);
    this.lastCheckpoint = this.now();
    return pack(header, data);
  }

  async dispose(): Promise<void> {
    if (this.stepper) await this.stepper.dispose();
    else this.current.dispose();
  }
}
