import * as tf from '@tensorflow/tfjs';
import { batchTensors, l1Loss } from '../data/batchTensors';
import type { PatchBatch } from '../data/patches';
import { edeSchedule, type EdeState } from '../nn/ede';
import type { ArchConfig } from '../model/config';
import { buildNetwork, type SRNetwork } from '../model/network';
import { assignWeights, decodeWeights, encodeWeights, type WeightSpec } from '../model/weights';
import { Adam } from './adam';
import type { TrainConfig } from './config';

export { DEFAULT_TRAIN_CONFIG, type TrainConfig } from './config';

/** A source of training batches that can replay its position (PatchSampler). */
export interface BatchStream {
  next(): PatchBatch;
  readonly drawn: number;
  skip(n: number): void;
}

export interface StepResult {
  step: number;
  epoch: number;
  loss: number;
  ede: EdeState;
  /** True when this step finished an epoch. */
  epochEnd: boolean;
}

/** Header of a training checkpoint; tensors travel beside it in one packed file (./pack). */
export interface TrainCheckpointHeader {
  format: 'srbnas-train-checkpoint';
  version: 1;
  architecture: ArchConfig;
  config: TrainConfig;
  step: number;
  adamStep: number;
  drawn: number;
  /** Free-form run state the caller keeps with the checkpoint (val PSNR history, time, ...). */
  extra: Record<string, unknown>;
  tensors: WeightSpec[];
}

/**
 * Training loop: Adam on L1 between SR and HR patches, EDE (t, k) following edeSchedule per
 * epoch over the whole run. The caller drives `step()`, so stopping is just not calling it;
 * `checkpoint()` / `Trainer.restore()` carry the exact state (weights, Adam moments and step,
 * data position, step counter) so a resumed run continues bit-for-bit.
 */
export class Trainer {
  readonly net: SRNetwork;
  private readonly opt: Adam;
  private stepIndex = 0;

  constructor(
    readonly architecture: ArchConfig,
    readonly config: TrainConfig,
    private readonly data: BatchStream,
  ) {
    for (const k of ['epochs', 'stepsPerEpoch', 'batch', 'patch'] as const)
      if (!Number.isInteger(config[k]) || config[k] < 1)
        throw new Error(`${k} must be a positive integer, got ${config[k]}`);
    this.net = buildNetwork(architecture, config.seed);
    this.opt = new Adam(this.net.params.list(), config.lr);
  }

  get stepCount(): number {
    return this.stepIndex;
  }
  get totalSteps(): number {
    return this.config.epochs * this.config.stepsPerEpoch;
  }
  get done(): boolean {
    return this.stepIndex >= this.totalSteps;
  }
  /** Completed epochs. */
  get epoch(): number {
    return Math.floor(this.stepIndex / this.config.stepsPerEpoch);
  }

  /**
   * L1 loss and gradients of the current step on `batch` (the caller disposes them). step() =
   * this + applyGrads + endStep; data-parallel replicas (src/core/parallel) all-reduce between.
   */
  computeGrads(batch: PatchBatch): { loss: tf.Scalar; grads: tf.NamedTensorMap } {
    const c = this.config;
    const ede = edeSchedule(this.epoch, c.epochs, c.tMin, c.tMax);
    const b = batchTensors(batch);
    const { value, grads } = tf.variableGrads(
      () => l1Loss(this.net.forward(b.lr, b.bic, { ede }), b.hr),
      this.net.params.list(),
    );
    tf.dispose([b.lr, b.hr, b.bic]);
    return { loss: value, grads };
  }

  /** Adam update from (possibly all-reduced) gradients; does not dispose them. */
  applyGrads(grads: tf.NamedTensorMap): void {
    this.opt.apply(grads);
  }

  /** Advance the step counter after an update with the given loss. */
  endStep(loss: number): StepResult {
    const c = this.config;
    const epoch = this.epoch;
    const ede = edeSchedule(epoch, c.epochs, c.tMin, c.tMax);
    this.stepIndex++;
    return {
      step: this.stepIndex,
      epoch,
      loss,
      ede,
      epochEnd: this.stepIndex % c.stepsPerEpoch === 0,
    };
  }

  async step(): Promise<StepResult> {
    const { loss: value, grads } = this.computeGrads(this.data.next());
    const loss = (await value.data())[0];
    if (!Number.isFinite(loss)) {
      tf.dispose([value, ...Object.values(grads)]);
      throw new Error(
        `training loss became ${loss} at step ${this.stepIndex} (epoch ${this.epoch})`,
      );
    }
    this.applyGrads(grads);
    tf.dispose([value, ...Object.values(grads)]);
    return this.endStep(loss);
  }

  /** Everything needed to continue exactly here: a JSON header and one float32 buffer. */
  async checkpoint(
    extra: Record<string, unknown> = {},
  ): Promise<{ header: TrainCheckpointHeader; data: ArrayBuffer }> {
    const named: { name: string; tensor: tf.Tensor }[] = [];
    for (const v of this.net.params.list()) {
      const n = this.net.localName(v);
      named.push({ name: `w:${n}`, tensor: v });
      named.push({ name: `m:${n}`, tensor: this.opt.m.get(v.name)! });
      named.push({ name: `v:${n}`, tensor: this.opt.v.get(v.name)! });
    }
    const { specs, data } = await encodeWeights(named);
    return {
      header: {
        format: 'srbnas-train-checkpoint',
        version: 1,
        architecture: this.architecture,
        config: { ...this.config },
        step: this.stepIndex,
        adamStep: this.opt.step,
        drawn: this.data.drawn,
        extra,
        tensors: specs,
      },
      data,
    };
  }

  /**
   * A trainer continuing from a checkpoint, on a fresh data stream built with the same seed and
   * images (it is advanced to the checkpoint's position).
   */
  static restore(header: unknown, data: ArrayBuffer, stream: BatchStream): Trainer {
    const h = header as TrainCheckpointHeader;
    if (h?.format !== 'srbnas-train-checkpoint' || h.version !== 1)
      throw new Error('not a training checkpoint (format/version)');
    const t = new Trainer(h.architecture, h.config, stream);
    const values = decodeWeights(h.tensors, data, 'checkpoint');
    const vars = t.net.params.list();
    const byName = new Map(vars.map((v) => [v.name, t.net.localName(v)]));
    const all = [
      ...vars.map((v) => ({ v, key: `w:${byName.get(v.name)}` })),
      ...vars.map((v) => ({ v: t.opt.m.get(v.name)!, key: `m:${byName.get(v.name)}` })),
      ...vars.map((v) => ({ v: t.opt.v.get(v.name)!, key: `v:${byName.get(v.name)}` })),
    ];
    const keyOf = new Map(all.map(({ v, key }) => [v, key]));
    assignWeights(
      all.map((a) => a.v),
      (v) => keyOf.get(v)!,
      values,
      'checkpoint',
    );
    t.stepIndex = h.step;
    t.opt.step = h.adamStep;
    if (h.drawn < stream.drawn)
      throw new Error(`data stream is already past the checkpoint (${stream.drawn} > ${h.drawn})`);
    stream.skip(h.drawn - stream.drawn);
    return t;
  }

  dispose(): void {
    this.net.dispose();
    this.opt.dispose();
  }
}
