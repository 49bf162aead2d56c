import { describe, expect, it } from 'vitest';
import { supernetLayout } from './supernetLayout';
import { derivedLayout, genotypeChanges, timelineSegments } from '../../shared/views/derivedLayout';
import { curveSeries } from './curves';
import { deriveGenotype, softmaxRows } from '../../../core/search/derive';
import { Rng } from '../../../core/rng';
import type { SearchSnapshot } from '../../../core/search/types';
import { OP_COLOURS } from '../../shared/views/palette';

function randomState(seed: number) {
  const rng = new Rng(seed);
  const alpha = Array.from({ length: 14 }, () => Array.from({ length: 6 }, () => rng.normal()));
  const gates = Array.from({ length: 14 }, (_, e) => (e < 2 ? 1 : rng.next()));
  const p = softmaxRows(alpha);
  return { alpha, p, gates, genotype: deriveGenotype(p, gates) };
}

describe('supernet cell layout', () => {
  it('draws the 14 edges of the DARTS cell with width from the gate and colour from the leading op', () => {
    const { p, gates } = randomState(3);
    const edges = supernetLayout(p, gates);
    expect(edges).toHaveLength(14);
    const pairs = edges.map((e) => `${e.from}->${e.to}`);
    expect(new Set(pairs).size).toBe(14);
    for (const e of edges) {
      expect(e.from).toBeLessThan(e.to);
      expect(e.width).toBeCloseTo(1 + 7 * gates[e.edge], 10);
      expect(p[e.edge][e.lead]).toBe(Math.max(...p[e.edge]));
      expect(e.title).toContain(gates[e.edge].toFixed(3));
    }
    // Node j has j inputs (nodes 2..5 → 2..5 edges).
    for (let j = 2; j <= 5; j++) expect(edges.filter((e) => e.to === j)).toHaveLength(j);
  });
});

describe('derived cell', () => {
  it('labels the genotype pairs and tracks changes over the run', () => {
    const snaps = [1, 2, 3, 4].map((step) => {
      const st = randomState(step < 3 ? 7 : 11);
      return { step, genotype: st.genotype } as SearchSnapshot;
    });
    const edges = derivedLayout(snaps[0].genotype);
    expect(edges).toHaveLength(8);
    edges.forEach((e, i) => {
      expect(e.to).toBe(Math.floor(i / 2) + 2);
      expect(e.colour).toBe(OP_COLOURS[snaps[0].genotype.normal[i][0]]);
    });
    const changes = genotypeChanges(snaps);
    expect(changes.map((c) => c.step)).toEqual([1, 3]);
    const segs = timelineSegments(changes, 4);
    for (let row = 0; row < 8; row++) {
      const mine = segs.filter((s) => s.row === row);
      expect(mine[0].from).toBe(1);
      expect(mine[mine.length - 1].to).toBe(4);
    }
  });
});

describe('curves', () => {
  it('skips NaN val-loss and counts skip_connect in the derived cell', () => {
    const base = randomState(5);
    const snaps = [1, 2].map(
      (step) =>
        ({
          step,
          wLoss: 0.1 * step,
          valLoss: step === 1 ? NaN : 0.2,
          regAlpha: -1,
          regBeta: 0.5,
          entropy: new Array(14).fill(Math.log(6)),
          genotype: {
            normal: base.genotype.normal.map(([, i], k) => [
              k < 3 ? 'skip_connect' : 'bin_conv_3x3',
              i,
            ]),
            normal_concat: [2, 3, 4, 5],
          },
          derivedParams: 12345,
          alphaSoftmax: base.p,
          // Step 2 has an α/β step whose data part is 3× its regulariser part (centred rows).
          ...(step === 2
            ? {
                archGrad: {
                  dataAlpha: new Array(14).fill([3, -3, 0, 0, 0, 0]),
                  regAlpha: new Array(14).fill([1, -1, 0, 0, 0, 0]),
                  dataBeta: new Array(14).fill(0),
                  regBeta: new Array(14).fill(0),
                },
              }
            : {}),
        }) as SearchSnapshot,
    );
    const byKey = Object.fromEntries(curveSeries(snaps).map((c) => [c.key, c]));
    expect(byKey.valLoss.points).toEqual([[2, 0.2]]);
    expect(byKey.dataShare.points).toEqual([[2, 75]]);
    expect(byKey.maxDev.points.length).toBe(2);
    expect(byKey.skips.points).toEqual([
      [1, 3],
      [2, 3],
    ]);
    expect(byKey.entropy.points[0][1]).toBeCloseTo(Math.log(6), 12);
    expect(byKey.params.last).toBe('12.3');
  });
});
