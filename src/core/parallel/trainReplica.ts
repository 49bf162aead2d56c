import * as tf from '@tensorflow/tfjs';
import type { PatchBatch } from '../data/patches';
import { Trainer, type BatchStream } from '../train/trainer';
import { checksumFloat32 } from './checksum';
import { flatToGrads, gradsToFlat } from './gradsTransfer';
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
      const flat = gradsToFlat(vs, r.grads); // before the grads are disposed
      const loss = r.loss.dataSync()[0];
      tf.dispose([r.loss, ...Object.values(r.grads)]);
      return { loss, ...flat };
    },
    applyGrads(phase: string, flat: Float32Array, missing: number[]): void {
      const vs = vars(phase);
      const grads = flatToGrads(vs, flat, missing);
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
