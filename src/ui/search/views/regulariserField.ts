import type { L1Target } from '../../../core/search/types';

/**
 * R(α) of one edge and its gradient in plain JS, for the μ/ρ explorer (same formula as
 * src/core/search/regularisers.ts; the test checks the two agree and the gradient against
 * finite differences).
 *   R(α) = −( μ·L1 + ρ Σ p_o² ),  L1 = Σ|p_o| ('softmax') or Σ|α_o| ('logits').
 * Gradients w.r.t. α: ∂Σp²/∂α_k = 2 p_k (p_k − Σp²); ∂Σ|p|/∂α = 1ᵀ(diag p − p pᵀ) = 0 on the
 * simplex (the paper's μ term does nothing); ∂Σ|α|/∂α_k = sign(α_k).
 */
export function softmax(a: number[]): number[] {
  const m = Math.max(...a);
  const e = a.map((x) => Math.exp(x - m));
  const s = e.reduce((x, y) => x + y, 0);
  return e.map((x) => x / s);
}

export interface RegTerms {
  value: number;
  /** ∂R/∂α split by term: the μ (L1) part and the ρ (L2) part, each already signed and weighted. */
  gradMu: number[];
  gradRho: number[];
  grad: number[];
}

export function regAlphaEdge(alpha: number[], mu: number, rho: number, target: L1Target): RegTerms {
  const p = softmax(alpha);
  const sq = p.reduce((s, x) => s + x * x, 0);
  const l1 =
    target === 'softmax'
      ? p.reduce((s, x) => s + Math.abs(x), 0)
      : alpha.reduce((s, x) => s + Math.abs(x), 0);
  const gradMu =
    target === 'softmax'
      ? // 1ᵀ(diag p − p pᵀ) evaluated, not assumed: p_k − p_k Σp (0 up to rounding).
        p.map((pk) => -mu * (pk - pk * p.reduce((s, x) => s + x, 0)))
      : alpha.map((a) => -mu * Math.sign(a));
  const gradRho = p.map((pk) => -rho * 2 * pk * (pk - sq));
  return {
    value: -(mu * l1 + rho * sq),
    gradMu,
    gradRho,
    grad: gradMu.map((g, k) => g + gradRho[k]),
  };
}

const norm = (v: number[]) => Math.sqrt(v.reduce((s, x) => s + x * x, 0));

export interface SimplexSample {
  p: [number, number, number];
  /** Triangle coordinates in [0,1]² (vertex 0 bottom-left, 1 bottom-right, 2 top). */
  xy: [number, number];
  value: number;
  /** Where one descent step on R moves p (in triangle coordinates, unscaled). */
  move: [number, number];
  gradMuNorm: number;
  gradRhoNorm: number;
}

export const toTriangle = (p: number[]): [number, number] => [
  p[1] + p[2] / 2,
  (p[2] * Math.sqrt(3)) / 2,
];

/**
 * R over a 3-op simplex: grid points p (interior), logits α = log p − mean(log p) (softmax is
 * shift-invariant; centring fixes the shift the 'logits' L1 sees), R(α) and the p-space motion
 * of one gradient-descent step on R (dp = J·(−∇_α R), J = diag p − p pᵀ).
 */
export function simplexField(mu: number, rho: number, target: L1Target, n = 10): SimplexSample[] {
  const out: SimplexSample[] = [];
  for (let i = 0; i <= n; i++)
    for (let j = 0; j <= n - i; j++) {
      const k = n - i - j;
      const p: [number, number, number] = [
        (i + 0.3) / (n + 0.9),
        (j + 0.3) / (n + 0.9),
        (k + 0.3) / (n + 0.9),
      ];
      const logp = p.map(Math.log);
      const mean = (logp[0] + logp[1] + logp[2]) / 3;
      const alpha = logp.map((l) => l - mean);
      const r = regAlphaEdge(alpha, mu, rho, target);
      const d = r.grad.map((g) => -g);
      const pd = p.reduce((s, pk, m) => s + pk * d[m], 0);
      const dp = p.map((pk, m) => pk * (d[m] - pd));
      const a = toTriangle(p);
      const b = toTriangle(p.map((pk, m) => pk + dp[m]));
      out.push({
        p,
        xy: a,
        value: r.value,
        move: [b[0] - a[0], b[1] - a[1]],
        gradMuNorm: norm(r.gradMu),
        gradRhoNorm: norm(r.gradRho),
      });
    }
  return out;
}
