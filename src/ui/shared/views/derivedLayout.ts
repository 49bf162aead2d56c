import { PRIMITIVES, type Genotype, type SearchSnapshot } from '../../../core/search/types';
import { arcPath } from './cellGeometry';
import { OP_COLOURS, OP_SHORT } from './palette';

export interface DerivedEdge {
  key: string;
  from: number;
  to: number;
  op: string;
  label: string;
  colour: string;
  d: string;
  mid: [number, number];
}

/** The derived cell: the genotype's 2 kept (op, input) pairs per node, labelled by op. */
export function derivedLayout(g: Genotype): DerivedEdge[] {
  return g.normal.map(([op, input], p) => {
    const to = Math.floor(p / 2) + 2;
    const { d, mid } = arcPath(input, to);
    return {
      key: `${input}-${to}`,
      from: input,
      to,
      op,
      label: OP_SHORT[op],
      colour: OP_COLOURS[op],
      d,
      mid,
    };
  });
}

export const genotypeKey = (g: Genotype) => g.normal.map(([o, i]) => `${o}@${i}`).join(',');

/** Changes of the derived cell over the run: one entry per step where it differs. */
export interface GenotypeChange {
  step: number;
  genotype: Genotype;
  /** Indices (0..7) of the pairs that differ from the previous genotype. */
  changed: number[];
}

export function genotypeChanges(history: SearchSnapshot[]): GenotypeChange[] {
  const out: GenotypeChange[] = [];
  let prev: Genotype | null = null;
  for (const s of history) {
    const g = s.genotype;
    if (!prev) out.push({ step: s.step, genotype: g, changed: [] });
    else if (genotypeKey(prev) !== genotypeKey(g)) {
      const changed = g.normal
        .map((pair, i) =>
          pair[0] !== prev!.normal[i][0] || pair[1] !== prev!.normal[i][1] ? i : -1,
        )
        .filter((i) => i >= 0);
      out.push({ step: s.step, genotype: g, changed });
    }
    prev = g;
  }
  return out;
}

/** Timeline bands: per pair row, segments of constant (op, input) between changes. */
export interface TimelineSegment {
  row: number;
  from: number;
  to: number;
  op: number;
  input: number;
}

export function timelineSegments(changes: GenotypeChange[], lastStep: number): TimelineSegment[] {
  const out: TimelineSegment[] = [];
  changes.forEach((c, ci) => {
    const end = ci + 1 < changes.length ? changes[ci + 1].step : lastStep;
    c.genotype.normal.forEach(([op, input], row) => {
      const prev = out.findLast((s) => s.row === row);
      const o = PRIMITIVES.indexOf(op);
      if (prev && prev.op === o && prev.input === input && prev.to === c.step) prev.to = end;
      else out.push({ row, from: c.step, to: end, op: o, input });
    });
  });
  return out;
}
