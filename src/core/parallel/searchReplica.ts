import * as tf from '@tensorflow/tfjs';
import type { PatchBatch } from '../data/patches';
import { Search, type SearchCheckpoint, type SearchData } from '../search/search';
import type { LiveSettings } from '../search/types';
import { checksumFloat32 } from './checksum';
import { flatToGrads, gradsToFlat } from './gradsTransfer';
import type { ComputedGrads, Replica } from './replica';

/**
 * A Search as a data-parallel replica. Phases: 'w' (the supernet weights, L1 on a w-train
 * shard) and 'arch' (α, β: L_arch on an α-val shard; options = the live settings of the step).
 * The replica never draws data itself: the coordinator sends shards.
 */
export function searchReplica(search: Search): Replica {
  const net = search.supernet;
  const vars = (phase: string): tf.Variable[] => {
    if (phase === 'w') return net.weights.list();
    if (phase === 'arch') return net.arch.list();
    throw new Error(`search replica: unknown phase '${phase}'`);
  };
  const strip = (n: string) => (n.startsWith(net.prefix) ? n.slice(net.prefix.length) : n);
  return {
    layout(phase) {
      const vs = vars(phase);
      return { names: vs.map((v) => strip(v.name)), sizes: vs.map((v) => v.size) };
    },
    computeGrads(phase: string, shard: PatchBatch, options?: unknown): ComputedGrads {
      const vs = vars(phase);
      const r =
        phase === 'w'
          ? { ...search.computeWGrads(shard), valL1: null }
          : search.computeArchGrads(
              shard,
              (options as LiveSettings | undefined) ?? search.settings,
            );
      const flat = gradsToFlat(vs, r.grads); // before the grads are disposed
      const lossT = r.valL1 ?? r.loss;
      const loss = lossT.dataSync()[0];
      tf.dispose([r.loss, ...(r.valL1 ? [r.valL1] : []), ...Object.values(r.grads)]);
      return { loss, ...flat };
    },
    applyGrads(phase: string, flat: Float32Array, missing: number[]): void {
      const vs = vars(phase);
      const grads = flatToGrads(vs, flat, missing);
      if (phase === 'w') search.applyWGrads(grads);
      else search.applyArchGrads(grads);
      tf.dispose(Object.values(grads));
    },
    async endStep() {
      await search.endStep(0, 0, null);
    },
    async checksum() {
      const all = [...net.weights.list(), ...net.arch.list()];
      return checksumFloat32(all.map((v) => v.dataSync() as Float32Array));
    },
    numTensors: () => tf.memory().numTensors,
    dispose: () => search.dispose(),
  };
}

/** Data sources of a replica: it gets shards from the coordinator and never draws. */
const NO_DATA: SearchData = {
  train: {
    next() {
      throw new Error('a search replica draws no data');
    },
    drawn: 0,
    skip() {},
  },
  val: {
    next() {
      throw new Error('a search replica draws no data');
    },
    drawn: 0,
    skip() {},
  },
};

/** What a search replica is built from: the coordinator's state and its gradient options. */
export interface SearchReplicaInit {
  checkpoint: SearchCheckpoint;
  skipUnusedGrads: boolean;
}

/** Replica factory 'search': the coordinator's state as a checkpoint (fresh runs: step 0). */
export async function createSearchReplica(init: unknown): Promise<Replica> {
  const { checkpoint, skipUnusedGrads } = init as SearchReplicaInit;
  const search = await Search.restore(checkpoint, NO_DATA);
  search.skipUnusedGrads = skipUnusedGrads;
  return searchReplica(search);
}
