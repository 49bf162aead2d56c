import * as tf from '@tensorflow/tfjs';
import type { PatchBatch } from '../data/patches';
import { Trainer, type BatchStream } from '../train/trainer';
import { checksumFloat32 } from './checksum';
import { flatten, unflatten } from './allReduce';
import type { ComputedGrads, Replica } from './replica';

/** A Trainer (evaluation network or baseline) as a data-parallel replica: one phase, 'w'. */
export function trainReplica(trainer: Trainer): Replica {
  const vars = (phase: string): tf.Variable[] => {
    if (phase !== 'w') throw new Error(`train replica: unknown phase '${phase}'`);
    return trainer.net.params.list();
  };
  return {
    layout(phase) {
      const vs = vars(phase);
      return { names: vs.map((v) => trainer.net.localName(v)), sizes: vs.map((v) => v.size) };
    },
    computeGrads(phase: string, shard: PatchBatch): ComputedGrads {
      const vs = vars(phase);
      const r = trainer.computeGrads(shard);
      const missing: number[] = [];
      const parts = vs.map((v, i) => {
        const g = r.grads[v.name];
        if (g) return g.dataSync() as Float32Array;
        missing.push(i);
        return new Float32Array(v.size);
      });
      const loss = r.loss.dataSync()[0];
      tf.dispose([r.loss, ...Object.values(r.grads)]);
      return { loss, grads: flatten(parts), missing };
    },
    applyGrads(phase: string, flat: Float32Array, missing: number[]): void {
      const vs = vars(phase);
      const views = unflatten(
        flat,
        vs.map((v) => v.size),
      );
      const grads: tf.NamedTensorMap = {};
      vs.forEach((v, i) => {
        if (!missing.includes(i)) grads[v.name] = tf.tensor(views[i], v.shape, 'float32');
      });
      trainer.applyGrads(grads);
      tf.dispose(Object.values(grads));
    },
    async endStep() {
      trainer.endStep(0);
    },
    async checksum() {
      return checksumFloat32(trainer.net.params.list().map((v) => v.dataSync() as Float32Array));
    },
    numTensors: () => tf.memory().numTensors,
    dispose: () => trainer.dispose(),
  };
}

/** A stream for replicas, which get shards and never draw (restore may ask it to skip). */
const NO_STREAM: BatchStream = {
  next() {
    throw new Error('a training replica draws no data');
  },
  drawn: 0,
  skip() {},
};

/** Replica factory 'train': the coordinator's checkpoint { header, data } (Trainer.checkpoint). */
export async function createTrainReplica(init: unknown): Promise<Replica> {
  const { header, data } = init as { header: unknown; data: ArrayBuffer };
  return trainReplica(Trainer.restore(header, data, NO_STREAM));
}
