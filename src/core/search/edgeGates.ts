import * as tf from '@tensorflow/tfjs';
import { EDGES, NODES, nodeEdges } from './searchSpace';

/**
 * Edge gates (EBNAS edge normalisation, docs/design.md §2.6): g_ij = σ(β_ij + b_j) with the prior
 * offset b_j = logit(2 / n_j) for a node with n_j inputs, so at β = 0 every node's gates sum to
 * 2 (the number of edges derivation keeps). The first node has exactly 2 inputs: logit(1) = ∞,
 * so its two gates are fixed at 1 (and their β get no gradient).
 */
export function gatePrior(nInputs: number): number {
  const p = 2 / nInputs;
  return Math.log(p / (1 - p));
}

/** Per edge: the prior offset b_j (0 where the gate is fixed) and whether the gate is learned. */
function edgeTable(): { offset: number[]; learned: number[] } {
  const offset = new Array<number>(EDGES).fill(0);
  const learned = new Array<number>(EDGES).fill(0);
  for (let j = 0; j < NODES; j++) {
    const n = j + 2;
    for (const { edge } of nodeEdges(j)) {
      if (n > 2) {
        offset[edge] = gatePrior(n);
        learned[edge] = 1;
      }
    }
  }
  return { offset, learned };
}
const TABLE = edgeTable();

/** Gates as a tensor [14] (differentiable w.r.t. β). */
export function edgeGates(beta: tf.Tensor1D): tf.Tensor1D {
  return tf.tidy(() => {
    const learned = tf.tensor1d(TABLE.learned);
    const g = tf.sigmoid(tf.add(beta, tf.tensor1d(TABLE.offset)));
    // Fixed gates are exactly 1: learned ? g : 1.
    return tf.add(tf.mul(g, learned), tf.sub(1, learned)) as tf.Tensor1D;
  });
}

/** Same in plain JS (snapshots, derivation). */
export function edgeGatesJS(beta: ArrayLike<number>): number[] {
  return Array.from({ length: EDGES }, (_, e) =>
    TABLE.learned[e] ? 1 / (1 + Math.exp(-(beta[e] + TABLE.offset[e]))) : 1,
  );
}
