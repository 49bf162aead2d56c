import * as d3 from 'd3';
import type { Genotype } from '../../../core/search/types';
import { CELL_W, LINE_Y, OUT_X, nodeX } from './cellGeometry';
import { derivedLayout, type DerivedEdge } from './derivedLayout';

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
