import type * as d3 from 'd3';
import { LINE_Y, OUT_X, nodeX } from './cellGeometry';
import { nodeName } from './palette';

/**
 * The part of a cell drawing both views share: the six state circles on the line (the two
 * inputs k-2, k-1 shaded, each with its name as a tooltip) and the output "concat" box. Drawn
 * after the edges so the circles sit on top of the arcs' ends. Idempotent (d3 joins), so a
 * re-render updates in place.
 */
export function renderCellFrame<
  E extends SVGGElement | SVGSVGElement,
  D,
  PE extends d3.BaseType,
  PD,
>(parent: d3.Selection<E, D, PE, PD>, radius: number): void {
  const ng = parent
    .selectAll<SVGGElement, number>('g.node')
    .data([0, 1, 2, 3, 4, 5])
    .join((enter) => {
      const e = enter.append('g').attr('class', 'node');
      e.append('circle').attr('stroke', '#333');
      e.append('text').attr('text-anchor', 'middle').attr('dy', '0.35em').attr('font-size', 11);
      e.append('title');
      return e;
    })
    .attr('transform', (i) => `translate(${nodeX(i)},${LINE_Y})`);
  ng.select('circle')
    .attr('r', radius)
    .attr('fill', (i) => (i < 2 ? '#dfe7f2' : '#fff'));
  ng.select('text').text((i) => (i === 0 ? 'k-2' : i === 1 ? 'k-1' : String(i)));
  ng.select('title').text((i) => nodeName(i));
  parent
    .selectAll('g.out')
    .data([null])
    .join((enter) => {
      const e = enter.append('g').attr('class', 'out');
      e.append('rect')
        .attr('x', -22)
        .attr('y', -13)
        .attr('width', 44)
        .attr('height', 26)
        .attr('rx', 4)
        .attr('fill', '#fff')
        .attr('stroke', '#333');
      e.append('text')
        .attr('text-anchor', 'middle')
        .attr('dy', '0.35em')
        .attr('font-size', 11)
        .text('concat')
        .append('title')
        .text('cell output: the four intermediate nodes concatenated, a 1×1 conv, plus c_{k-1}');
      return e;
    })
    .attr('transform', `translate(${OUT_X},${LINE_Y})`);
}
