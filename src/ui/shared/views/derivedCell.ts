import * as d3 from 'd3';
import type { Genotype } from '../../../core/search/types';
import { CELL_W } from './cellGeometry';
import { renderCellFrame } from './cellFrame';
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
  renderCellFrame(svg, 14);
}
