import * as d3 from 'd3';
import { PRIMITIVES } from '../../../core/search/types';
import { useStore } from '../../../state/search/store';
import { CELL_W } from '../../shared/views/cellGeometry';
import { renderCellFrame } from '../../shared/views/cellFrame';
import { OP_COLOURS, OP_SHORT } from '../../shared/views/palette';
import { supernetLayout, type SupernetEdge } from './supernetLayout';
import { useD3 } from '../../shared/views/useD3';

const H = 360;
const BARS_Y = 250;

type Svg = d3.Selection<SVGSVGElement, unknown, null, undefined>;

/** Pure render: supernet cell (arcs) and a grid of 14 softmax(α) bar charts. */
export function renderSupernet(svg: Svg, edges: SupernetEdge[]) {
  svg.attr('viewBox', `0 0 ${CELL_W} ${H}`);
  const g = svg.selectAll<SVGGElement, null>('g.cell').data([null]).join('g').attr('class', 'cell');
  g.selectAll<SVGPathElement, SupernetEdge>('path.edge')
    .data(edges, (e) => String(e.edge))
    .join((enter) =>
      enter
        .append('path')
        .attr('class', 'edge')
        .attr('fill', 'none')
        .call((p) => p.append('title')),
    )
    .attr('d', (e) => e.d)
    .attr('stroke', (e) => e.colour)
    .attr('stroke-width', (e) => e.width)
    .attr('stroke-opacity', 0.85)
    .attr('data-lead', (e) => PRIMITIVES[e.lead])
    .attr('data-gate', (e) => e.gate.toFixed(4))
    .select('title')
    .text((e) => e.title);
  renderCellFrame(g, 15);

  // Bar-chart grid: 7 columns × 2 rows, one per edge, bars = softmax(α) over the 6 ops.
  const cw = CELL_W / 7;
  const bw = (cw - 16) / PRIMITIVES.length;
  const bh = 40;
  const charts = svg
    .selectAll<SVGGElement, SupernetEdge>('g.bars')
    .data(edges, (e) => String(e.edge))
    .join((enter) => {
      const e = enter.append('g').attr('class', 'bars');
      e.append('text')
        .attr('class', 'lbl')
        .attr('font-size', 10)
        .attr('x', 4)
        .attr('y', bh + 12);
      e.append('title');
      return e;
    })
    .attr(
      'transform',
      (e) =>
        `translate(${(e.edge % 7) * cw + 6},${BARS_Y + Math.floor(e.edge / 7) * (bh + 18) - 24})`,
    );
  // Bars share one scale, at least 0..1/3, so small early differences from 1/6 are visible.
  const pMax = Math.max(1 / 3, ...edges.flatMap((e) => e.p));
  charts.select('text.lbl').text((e) => `${e.from}→${e.to}  g ${e.gate.toFixed(2)}`);
  charts.select('title').text((e) => e.title);
  charts
    .selectAll<SVGRectElement, { o: number; p: number }>('rect')
    .data((e) => e.p.map((p, o) => ({ o, p })))
    .join('rect')
    .attr('x', (d) => d.o * bw)
    .attr('width', bw - 1)
    .attr('y', (d) => bh - (d.p / pMax) * bh)
    .attr('height', (d) => Math.max(0.5, (d.p / pMax) * bh))
    .attr('fill', (d) => OP_COLOURS[PRIMITIVES[d.o]]);
}

export function SupernetView() {
  const latest = useStore((s) => s.latest);
  const ref = useD3(
    (svg) =>
      renderSupernet(svg, supernetLayout(latest?.alphaSoftmax ?? null, latest?.gates ?? null)),
    [latest],
  );
  return (
    <figure className="view">
      <figcaption>
        Supernet cell{latest ? ` — step ${latest.step}` : ' — initial state'}: edge width = gate g,
        colour = leading op; bars = softmax(α) per edge (common scale; hover for numbers)
      </figcaption>
      <svg
        ref={ref}
        data-testid="supernet-svg"
        data-step={latest?.step ?? 0}
        role="img"
        aria-label="supernet cell"
      />
      <Legend />
    </figure>
  );
}

export function Legend() {
  return (
    <div className="legend">
      {PRIMITIVES.map((p) => (
        <span key={p}>
          <i style={{ background: OP_COLOURS[p] }} /> {OP_SHORT[p]} <small>({p})</small>
        </span>
      ))}
    </div>
  );
}
