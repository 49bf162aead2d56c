import * as tf from '@tensorflow/tfjs';
import type { L1Target } from './types';
import { NODES, nodeEdges } from './searchSpace';

/**
 * The architecture regularisers of SRBNAS (paper eq. 4–8, symbols of docs/design.md §2.8).
 * All take their coefficients per call, so the UI can move them between steps.
 */

/**
 * R(α) = −Σ_edges ( μ Σ_o |p_o| + ρ Σ_o p_o² ), p = softmax(α_edge).
 * l1Target 'softmax' is the paper taken literally: Σ_o |p_o| = 1 on the simplex, so the μ term
 * is a constant (−μ · #edges) with zero gradient. 'logits' puts the L1 on the logits
 * (μ Σ_o |α_o|), the variant under which μ acts; the L2 term stays on p in both.
 */
export function regAlpha(
  alpha: tf.Tensor2D,
  mu: number,
  rho: number,
  l1Target: L1Target,
): tf.Scalar {
  return tf.tidy(() => {
    const p = tf.softmax(alpha, -1);
    const l1 = l1Target === 'softmax' ? tf.sum(tf.abs(p)) : tf.sum(tf.abs(alpha));
    const l2 = tf.sum(tf.square(p));
    return tf.neg(tf.add(tf.mul(mu, l1), tf.mul(rho, l2))) as tf.Scalar;
  });
}

/**
 * R(β) = Σ_nodes ( −Var_i(g_ij) + ν (Σ_i g_ij − 2)² ).
 * Var is the POPULATION variance (divide by n_j, the node's number of inputs): eq. 7 centres on
 * the 1/j mean of the node's gates, and dividing by n_j keeps nodes with more inputs from
 * dominating. (Eq. 7 as printed sums the squared deviations without dividing; that is n_j ·
 * our term.) The first node's gates are fixed at 1, so it contributes exactly 0.
 */
export function regBeta(gates: tf.Tensor1D, nu: number): tf.Scalar {
  return tf.tidy(() => {
    const terms: tf.Scalar[] = [];
    for (let j = 0; j < NODES; j++) {
      const edges = nodeEdges(j);
      const g = tf.slice(gates, [edges[0].edge], [edges.length]);
      const { variance } = tf.moments(g);
      const sumDev = tf.sub(tf.sum(g), 2);
      terms.push(tf.add(tf.neg(variance), tf.mul(nu, tf.square(sumDev))) as tf.Scalar);
    }
    return tf.addN(terms) as tf.Scalar;
  });
}

/** lin(e) = min(1, e / E) (eq. 6); e is the 0-based epoch the step belongs to. */
export function lin(epoch: number, regEpochs: number): number {
  if (regEpochs <= 0) return 1;
  return Math.min(1, Math.max(0, epoch / regEpochs));
}

/** L_arch = L1(val) + λ·lin·R(α) + γ·lin·R(β); the caller owns all returned tensors. */
export function archLoss(
  l1: tf.Scalar,
  rAlpha: tf.Scalar,
  rBeta: tf.Scalar,
  weights: { alpha: number; beta: number },
): tf.Scalar {
  return tf.tidy(
    () => tf.addN([l1, tf.mul(weights.alpha, rAlpha), tf.mul(weights.beta, rBeta)]) as tf.Scalar,
  );
}
