import { PRIMITIVES, type Genotype } from './types';
import { NODES, nodeEdges } from './searchSpace';

/** Index of the largest value; ties go to the LOWEST index (DARTS _parse uses a strict `>`). */
export function argmax(xs: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < xs.length; i++) if (xs[i] > xs[best]) best = i;
  return best;
}

/**
 * Derive the discrete cell (DARTS `_parse` with PC-DARTS edge weighting, docs/design.md §2).
 * For each intermediate node keep the 2 incoming edges with the largest g_ij · max_o p_o and
 * take argmax_o p_o on each. There is no `none` op to exclude.
 * Ties: edges are ranked by a stable sort (equal scores keep the lower input first, like
 * Python's `sorted`), ops by the lowest index. Pairs are listed in rank order, as DARTS does.
 */
export function deriveGenotype(alphaSoftmax: number[][], gates: number[]): Genotype {
  const normal: Genotype['normal'] = [];
  for (let j = 0; j < NODES; j++) {
    const scored = nodeEdges(j).map(({ edge, input }) => {
      const p = alphaSoftmax[edge];
      return { input, op: argmax(p), score: gates[edge] * Math.max(...p) };
    });
    // Array.prototype.sort is stable (ES2019), so ties keep the lower input first.
    scored.sort((a, b) => b.score - a.score);
    for (const s of scored.slice(0, 2)) normal.push([PRIMITIVES[s.op], s.input]);
  }
  return { normal, normal_concat: [2, 3, 4, 5] };
}

/** softmax of each row (plain JS, for snapshots). */
export function softmaxRows(alpha: number[][]): number[][] {
  return alpha.map((row) => {
    const m = Math.max(...row);
    const e = row.map((a) => Math.exp(a - m));
    const s = e.reduce((a, b) => a + b, 0);
    return e.map((x) => x / s);
  });
}

/** Shannon entropy (nats) of each row. */
export function entropyRows(p: number[][]): number[] {
  return p.map((row) => -row.reduce((acc, x) => acc + (x > 0 ? x * Math.log(x) : 0), 0));
}
