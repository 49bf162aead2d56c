import { PRIMITIVES } from '../../../core/search/types';
import { NODES, nodeEdges } from '../../../core/search/searchSpace';
import { argmax } from '../../../core/search/derive';
import { arcPath } from '../../shared/views/cellGeometry';
import { OP_SHORT, opColour } from '../../shared/views/palette';

export interface SupernetEdge {
  edge: number;
  from: number;
  to: number;
  d: string;
  mid: [number, number];
  width: number;
  colour: string;
  lead: number;
  gate: number;
  p: number[];
  title: string;
}

/**
 * The supernet cell from a snapshot: edge width ∝ gate g_ij, colour = the leading op
 * argmax p, and a hover title with every number. With no snapshot the edges are drawn at the
 * initial state (uniform p, gates at their prior), so the page shows the cell before a run.
 */
export function supernetLayout(
  alphaSoftmax: number[][] | null,
  gates: number[] | null,
): SupernetEdge[] {
  const out: SupernetEdge[] = [];
  for (let n = 0; n < NODES; n++) {
    for (const { edge, input } of nodeEdges(n)) {
      const p = alphaSoftmax?.[edge] ?? PRIMITIVES.map(() => 1 / PRIMITIVES.length);
      const gate = gates?.[edge] ?? 2 / (n + 2);
      const lead = argmax(p);
      const to = n + 2;
      const { d, mid } = arcPath(input, to);
      const lines = PRIMITIVES.map((o, i) => `  ${OP_SHORT[o].padEnd(6)} p=${p[i].toFixed(3)}`);
      out.push({
        edge,
        from: input,
        to,
        d,
        mid,
        width: 1 + 7 * Math.max(0, Math.min(1, gate)),
        colour: opColour(lead),
        lead,
        gate,
        p,
        title: `edge ${edge}: ${input} → ${to}\ngate g = ${gate.toFixed(3)}\nlead ${PRIMITIVES[lead]}\n${lines.join('\n')}`,
      });
    }
  }
  return out;
}
