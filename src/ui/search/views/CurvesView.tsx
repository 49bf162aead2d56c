import * as d3 from 'd3';
import { useMemo } from 'react';
import { historyList } from '../../../state/search/history';
import { useStore } from '../../../state/search/store';
import { curveSeries, type CurveSeries } from './curves';
import { useD3 } from '../../shared/views/useD3';

type Svg = d3.Selection<SVGSVGElement, unknown, null, undefined>;

const CW = 210;
const CH = 80;

/** Pure render: small multiples, one line chart per scalar. */
export function renderCurves(svg: Svg, series: CurveSeries[]) {
  const perRow = 3;
  const rows = Math.ceil(series.length / perRow);
  svg.attr('viewBox', `0 0 ${perRow * CW} ${rows * (CH + 10)}`);
  const charts = svg
    .selectAll<SVGGElement, CurveSeries>('g.curve')
    .data(series, (s) => s.key)
    .join((enter) => {
      const g = enter.append('g').attr('class', 'curve');
      g.append('rect').attr('class', 'frame').attr('fill', '#fff').attr('stroke', '#ccc');
      g.append('path')
        .attr('class', 'line')
        .attr('fill', 'none')
        .attr('stroke', '#1f5f9f')
        .attr('stroke-width', 1.5);
      g.append('text').attr('class', 'label').attr('font-size', 10).attr('x', 6).attr('y', 13);
      g.append('text')
        .attr('class', 'range')
        .attr('font-size', 8)
        .attr('x', CW - 12)
        .attr('y', CH - 6)
        .attr('text-anchor', 'end')
        .attr('fill', '#666');
      return g;
    })
    .attr('data-key', (s) => s.key)
    .attr('data-points', (s) => s.points.length)
    .attr(
      'transform',
      (_, i) => `translate(${(i % perRow) * CW},${Math.floor(i / perRow) * (CH + 10)})`,
    );
  charts
    .select('rect.frame')
    .attr('width', CW - 8)
    .attr('height', CH);
  charts.select('text.label').text((s) => `${s.label}: ${s.last}`);
  charts.select('path.line').attr('d', (s) => {
    if (s.points.length === 0) return null;
    const x = d3
      .scaleLinear()
      .domain(d3.extent(s.points, (p) => p[0]) as [number, number])
      .range([6, CW - 14]);
    const [lo, hi] = d3.extent(s.points, (p) => p[1]) as [number, number];
    const pad = hi === lo ? Math.abs(hi) * 0.1 + 1e-6 : 0;
    const y = d3
      .scaleLinear()
      .domain([lo - pad, hi + pad])
      .range([CH - 14, 20]);
    return d3
      .line<[number, number]>()
      .x((p) => x(p[0]))
      .y((p) => y(p[1]))(s.points);
  });
  charts.select('text.range').text((s) => {
    if (!s.points.length) return 'no data yet';
    const [lo, hi] = d3.extent(s.points, (p) => p[1]) as [number, number];
    return `${d3.format('.3~g')(lo)} … ${d3.format('.3~g')(hi)}`;
  });
}

export function CurvesView() {
  const history = useStore((s) => s.history);
  const series = useMemo(() => curveSeries(historyList(history)), [history]);
  const ref = useD3((svg) => renderCurves(svg, series), [series]);
  return (
    <figure className="view">
      <figcaption>
        Curves over steps (val-loss starts with the first α/β step, after warm-up)
      </figcaption>
      <svg ref={ref} data-testid="curves-svg" role="img" aria-label="loss and regulariser curves" />
    </figure>
  );
}
