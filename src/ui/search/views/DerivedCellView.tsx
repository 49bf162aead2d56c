import * as d3 from 'd3';
import { useMemo } from 'react';
import { PRIMITIVES, type Genotype } from '../../../core/search/types';
import { historyList } from '../../../state/search/history';
import { runSignal } from '../../../core/search/signal';
import { useStore } from '../../../state/search/store';
import { CELL_W, LINE_Y, OUT_X, nodeX } from '../../shared/views/cellGeometry';
import {
  derivedLayout,
  genotypeChanges,
  timelineSegments,
  type DerivedEdge,
  type TimelineSegment,
} from '../../shared/views/derivedLayout';
import { OP_COLOURS, OP_SHORT } from '../../shared/views/palette';
import { useD3 } from '../../shared/views/useD3';

type Svg = d3.Selection<SVGSVGElement, unknown, null, undefined>;

/** Pure render of a derived cell (top-2 edges per node, op labels). */
export function renderDerivedCell(svg: Svg, g: Genotype) {
  const edges = derivedLayout(g);
  svg.attr('viewBox', `0 0 ${CELL_W} 240`);
  svg
    .selectAll<SVGPathElement, DerivedEdge>('path.edge')
    .data(edges, (e) => e.key)
    .join('path')
    .attr('class', 'edge')
    .attr('fill', 'none')
    .attr('stroke-width', 3)
    .attr('d', (e) => e.d)
    .attr('stroke', (e) => e.colour)
    .attr('data-op', (e) => e.op);
  svg
    .selectAll<SVGTextElement, DerivedEdge>('text.op')
    .data(edges, (e) => e.key)
    .join('text')
    .attr('class', 'op')
    .attr('text-anchor', 'middle')
    .attr('font-size', 11)
    .attr('paint-order', 'stroke')
    .attr('stroke', '#fff')
    .attr('stroke-width', 3)
    .attr('x', (e) => e.mid[0])
    .attr('y', (e) => e.mid[1] + 4)
    .text((e) => e.label);
  const nodes = [0, 1, 2, 3, 4, 5];
  const ng = svg
    .selectAll<SVGGElement, number>('g.node')
    .data(nodes)
    .join((enter) => {
      const e = enter.append('g').attr('class', 'node');
      e.append('circle').attr('r', 14).attr('stroke', '#333');
      e.append('text').attr('text-anchor', 'middle').attr('dy', '0.35em').attr('font-size', 11);
      return e;
    })
    .attr('transform', (i) => `translate(${nodeX(i)},${LINE_Y})`);
  ng.select('circle').attr('fill', (i) => (i < 2 ? '#dfe7f2' : '#fff'));
  ng.select('text').text((i) => (i === 0 ? 'k-2' : i === 1 ? 'k-1' : String(i)));
  svg
    .selectAll('g.out')
    .data([null])
    .join((enter) => {
      const e = enter.append('g').attr('class', 'out');
      e.append('rect')
        .attr('x', -22)
        .attr('y', -13)
        .attr('width', 44)
        .attr('height', 26)
        .attr('fill', '#fff')
        .attr('stroke', '#333');
      e.append('text')
        .attr('text-anchor', 'middle')
        .attr('dy', '0.35em')
        .attr('font-size', 11)
        .text('concat');
      return e;
    })
    .attr('transform', `translate(${OUT_X},${LINE_Y})`);
}

/** Pure render of the change timeline: one row per kept pair, colour = op, over steps. */
export function renderTimeline(
  svg: Svg,
  segs: TimelineSegment[],
  first: number,
  last: number,
  changes: number[],
) {
  const W = CELL_W;
  const rowH = 9;
  svg.attr('viewBox', `0 0 ${W} ${8 * rowH + 22}`);
  const x = d3
    .scaleLinear()
    .domain([first, Math.max(first + 1, last)])
    .range([70, W - 10]);
  svg
    .selectAll<SVGTextElement, number>('text.row')
    .data(d3.range(8))
    .join('text')
    .attr('class', 'row')
    .attr('font-size', 8)
    .attr('x', 66)
    .attr('text-anchor', 'end')
    .attr('y', (r) => r * rowH + rowH - 1)
    .text((r) => `node ${Math.floor(r / 2) + 2} #${(r % 2) + 1}`);
  svg
    .selectAll<SVGRectElement, TimelineSegment>('rect.seg')
    .data(segs)
    .join((enter) =>
      enter
        .append('rect')
        .attr('class', 'seg')
        .call((r) => r.append('title')),
    )
    .attr('x', (s) => x(s.from))
    .attr('width', (s) => Math.max(1, x(s.to) - x(s.from)))
    .attr('y', (s) => s.row * rowH)
    .attr('height', rowH - 1)
    .attr('fill', (s) => OP_COLOURS[PRIMITIVES[s.op]])
    .select('title')
    .text((s) => `steps ${s.from}–${s.to}: ${PRIMITIVES[s.op]} from state ${s.input}`);
  svg
    .selectAll<SVGLineElement, number>('line.change')
    .data(changes)
    .join('line')
    .attr('class', 'change')
    .attr('x1', (c) => x(c))
    .attr('x2', (c) => x(c))
    .attr('y1', 8 * rowH)
    .attr('y2', 8 * rowH + 6)
    .attr('stroke', '#333');
  svg
    .selectAll<SVGTextElement, number>('text.axis')
    .data([first, last])
    .join('text')
    .attr('class', 'axis')
    .attr('font-size', 9)
    .attr('y', 8 * rowH + 18)
    .attr('x', (v) => x(v))
    .attr('text-anchor', (_, i) => (i ? 'end' : 'start'))
    .text((v) => `step ${v}`);
}

/** How far the run has moved from its initialisation (issue 10): shown under the cell. */
function VsInitial() {
  const initial = useStore((s) => s.initial);
  const latest = useStore((s) => s.latest);
  if (!initial || !latest) return null;
  const r = runSignal([initial, latest]);
  const changed = Math.round((1 - r.initAgreement) * 14);
  const kept = Math.round(r.initGenotypeAgreement * 8);
  return (
    <p className="small" data-testid="vs-initial">
      Since the initialisation (step 0): {changed} of 14 edges changed their leading op; {kept} of
      the 8 kept (op, input) pairs were already in the step-0 cell.
      {latest.step > 0 && changed === 0 && latest.archStep ? ' The data has not moved α yet.' : ''}
    </p>
  );
}

export function DerivedCellView() {
  const latest = useStore((s) => s.latest);
  const history = useStore((s) => s.history);
  const list = useMemo(() => historyList(history), [history]);
  const changes = useMemo(() => genotypeChanges(list), [list]);
  const cellRef = useD3(
    (svg) => {
      if (latest) renderDerivedCell(svg, latest.genotype);
      else svg.selectAll('*').remove();
    },
    [latest],
  );
  const tlRef = useD3(
    (svg) => {
      const last = list.length ? list[list.length - 1].step : 0;
      const first = list.length ? list[0].step : 0;
      renderTimeline(
        svg,
        timelineSegments(changes, last),
        first,
        last,
        changes.slice(1).map((c) => c.step),
      );
    },
    [changes, list],
  );
  return (
    <figure className="view">
      <figcaption>
        Derived cell (top-2 edges per node by g·max p, argmax op)
        {latest
          ? ` — step ${latest.step}, ${(latest.derivedParams / 1000).toFixed(1)}K params at full C`
          : ''}
        {changes.length > 1 ? `, changed ${changes.length - 1}×` : ''}
      </figcaption>
      {!latest && <p className="muted">Appears when a search starts (its step-0 cell first).</p>}
      <VsInitial />
      <svg
        ref={cellRef}
        data-testid="derived-svg"
        data-genotype={
          latest ? latest.genotype.normal.map(([o, i]) => `${OP_SHORT[o]}@${i}`).join(' ') : ''
        }
        role="img"
        aria-label="derived cell"
      />
      <svg
        ref={tlRef}
        data-testid="timeline-svg"
        role="img"
        aria-label="derived cell change timeline"
      />
    </figure>
  );
}
