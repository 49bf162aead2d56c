import * as d3 from 'd3';
import { useMemo } from 'react';
import { PRIMITIVES } from '../../../core/search/types';
import { historyList } from '../../../state/search/history';
import { runSignal } from '../../../core/search/signal';
import { useStore } from '../../../state/search/store';
import { CELL_W } from '../../shared/views/cellGeometry';
import {
  genotypeChanges,
  timelineSegments,
  type TimelineSegment,
} from '../../shared/views/derivedLayout';
import { OP_COLOURS, OP_SHORT } from '../../shared/views/palette';
import { renderDerivedCell } from '../../shared/views/derivedCell';
import { useD3 } from '../../shared/views/useD3';

type Svg = d3.Selection<SVGSVGElement, unknown, null, undefined>;

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
