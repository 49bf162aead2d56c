import { Rng } from '../rng';
import { NODES } from './searchSpace';
import { PRIMITIVES, type Genotype } from './types';

/**
 * A uniformly random cell under the same rules as a derived one (the NAS sanity baseline of
 * issue 10): each intermediate node j takes 2 distinct inputs among its j + 2 predecessors,
 * each with an op drawn uniformly from the six. Seeded; listed as deriveGenotype lists pairs.
 */
export function randomGenotype(seed: number): Genotype {
  const rng = new Rng(seed ^ 0x5eed6e0);
  const normal: Genotype['normal'] = [];
  for (let j = 0; j < NODES; j++) {
    const n = j + 2;
    const a = rng.int(n);
    let b = rng.int(n - 1);
    if (b >= a) b++; // distinct from a, uniform over the rest
    for (const input of [a, b]) normal.push([PRIMITIVES[rng.int(PRIMITIVES.length)], input]);
  }
  return { normal, normal_concat: [2, 3, 4, 5] };
}
