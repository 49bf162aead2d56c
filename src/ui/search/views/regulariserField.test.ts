import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { regAlpha } from '../../../core/search/regularisers';
import { regAlphaEdge, simplexField } from './regulariserField';

const alpha = [0.3, -1.2, 0.8, 0.05, -0.4, 1.1];

function numericGrad(f: (a: number[]) => number, a: number[], h = 1e-5): number[] {
  return a.map((_, k) => {
    const up = [...a];
    const dn = [...a];
    up[k] += h;
    dn[k] -= h;
    return (f(up) - f(dn)) / (2 * h);
  });
}

describe('R(α) of one edge (explorer maths)', () => {
  for (const target of ['softmax', 'logits'] as const) {
    it(`matches the core regulariser and finite differences (${target})`, async () => {
      await tf.setBackend('cpu');
      const core = tf.tidy(() => regAlpha(tf.tensor2d([alpha]), 0.8, 0.2, target).arraySync());
      const mine = regAlphaEdge(alpha, 0.8, 0.2, target);
      expect(mine.value).toBeCloseTo(core as number, 5);
      const num = numericGrad((a) => regAlphaEdge(a, 0.8, 0.2, target).value, alpha);
      mine.grad.forEach((g, k) => expect(g).toBeCloseTo(num[k], 6));
      // And against tfjs autodiff of the core function.
      const auto = tf.tidy(() =>
        tf
          .grad((a: tf.Tensor) => regAlpha(a as tf.Tensor2D, 0.8, 0.2, target))(
            tf.tensor2d([alpha]),
          )
          .arraySync(),
      ) as number[][];
      mine.grad.forEach((g, k) => expect(g).toBeCloseTo(auto[0][k], 5));
    });
  }

  it("shows the paper's μ term has zero gradient on the simplex, and 'logits' does not", () => {
    const soft = simplexField(0.8, 0.2, 'softmax');
    const logit = simplexField(0.8, 0.2, 'logits');
    expect(Math.max(...soft.map((s) => s.gradMuNorm))).toBeLessThan(1e-12);
    expect(Math.min(...logit.map((s) => s.gradMuNorm))).toBeGreaterThan(0.5);
    // With ρ > 0, descent sharpens p (moves away from the centre) in both.
    expect(Math.max(...soft.map((s) => s.gradRhoNorm))).toBeGreaterThan(0);
  });

  it('samples lie on the simplex', () => {
    for (const s of simplexField(0.5, 0.5, 'softmax', 6)) {
      expect(s.p[0] + s.p[1] + s.p[2]).toBeCloseTo(1, 12);
      expect(Math.min(...s.p)).toBeGreaterThan(0);
    }
  });
});
