import * as d3 from 'd3';
import { useMemo } from 'react';
import { PRIMITIVES } from '../../../core/search/types';
import { nodeEdges } from '../../../core/search/searchSpace';
import { historyList } from '../../../state/search/history';
import { useStore } from '../../../state/search/store';
import { heatmapGrid, type HeatmapGrid } from './heatmap';
import { OP_COLOURS } from '../../shared/views/palette';
import { useD3 } from '../../shared/views/useD3';

type Svg = d3.Selection<SVGSVGElement, unknown, null, undefined>;

/** 256-entry viridis lookup table (parsing a colour string per cell costs ~ms per frame). */
const VIRIDIS = (() => {
  const t = new Uint8Array(256 * 3);
  for (let k = 0; k < 256; k++) {
    const c = d3.rgb(d3.interpolateViridis(k / 255));
    t.set([c.r, c.g, c.b], 3 * k);
  }
  return t;
})();

const EDGE_LABELS = [0, 1, 2, 3].flatMap((n) => nodeEdges(n).map((e) => `${e.input}→${n + 2}`));

/**
 * Pure render: p_o per edge (rows, grouped by edge) over steps (columns). The cells are painted
 * on a small canvas embedded as one <image>: a long run is thousands of cells, too many for
 * SVG rects at 10 updates a second.
 */
export function renderHeatmap(svg: Svg, grid: HeatmapGrid) {
  const W = 640;
  const left = 46;
  const rowH = 3;
  const H = grid.rows * rowH + 20;
  svg.attr('viewBox', `0 0 ${W} ${H}`);
  const cols = grid.steps.length;
  // Colour spans the values present: early in a run p stays near 1/6 and a fixed 0..1 scale
  // would show one flat colour.
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of grid.values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (!(hi > lo)) hi = lo + 1e-6;
  let href = '';
  if (cols > 0 && typeof document !== 'undefined') {
    const canvas = document.createElement('canvas');
    canvas.width = cols;
    canvas.height = grid.rows;
    const ctx = canvas.getContext('2d');
    if (ctx) {
      const img = ctx.createImageData(cols, grid.rows);
      const span = hi - lo;
      for (let r = 0; r < grid.rows; r++)
        for (let c = 0; c < cols; c++) {
          const k = Math.min(
            255,
            Math.max(0, Math.round(((grid.values[r * cols + c] - lo) / span) * 255)),
          );
          const i = 4 * (r * cols + c);
          img.data[i] = VIRIDIS[3 * k];
          img.data[i + 1] = VIRIDIS[3 * k + 1];
          img.data[i + 2] = VIRIDIS[3 * k + 2];
          img.data[i + 3] = 255;
        }
      ctx.putImageData(img, 0, 0);
      href = canvas.toDataURL();
    }
  }
  svg
    .selectAll('image')
    .data([href])
    .join('image')
    .attr('x', left)
    .attr('y', 0)
    .attr('width', W - left - 4)
    .attr('height', grid.rows * rowH)
    .attr('preserveAspectRatio', 'none')
    .attr('style', 'image-rendering: pixelated')
    .attr('href', (h) => h);
  const ops = PRIMITIVES.length;
  svg
    .selectAll<SVGTextElement, string>('text.edge')
    .data(EDGE_LABELS)
    .join('text')
    .attr('class', 'edge')
    .attr('font-size', 8)
    .attr('x', left - 10)
    .attr('text-anchor', 'end')
    .attr('y', (_, e) => (e * ops + ops / 2) * rowH + 3)
    .text((l) => l);
  // Op colour ticks per row so a row can be read without hovering.
  svg
    .selectAll<SVGRectElement, number>('rect.op')
    .data(d3.range(EDGE_LABELS.length * ops))
    .join('rect')
    .attr('class', 'op')
    .attr('x', left - 7)
    .attr('width', 5)
    .attr('y', (r) => r * rowH)
    .attr('height', rowH)
    .attr('fill', (r) => OP_COLOURS[PRIMITIVES[r % ops]]);
  svg
    .selectAll<SVGTextElement, number>('text.axis')
    .data(cols ? [grid.steps[0], grid.steps[cols - 1]] : [])
    .join('text')
    .attr('class', 'axis')
    .attr('font-size', 9)
    .attr('y', grid.rows * rowH + 14)
    .attr('x', (_, i) => (i ? W - 4 : left))
    .attr('text-anchor', (_, i) => (i ? 'end' : 'start'))
    .text((v) => `step ${v}`);
  svg
    .selectAll<SVGTextElement, string>('text.range')
    .data(cols ? [`p from ${lo.toFixed(3)} (dark) to ${hi.toFixed(3)} (yellow)`] : ['no steps yet'])
    .join('text')
    .attr('class', 'range')
    .attr('font-size', 9)
    .attr('y', grid.rows * rowH + 14)
    .attr('x', W / 2)
    .attr('text-anchor', 'middle')
    .text((t) => t);
}

export function AlphaHeatmap() {
  const history = useStore((s) => s.history);
  const grid = useMemo(() => heatmapGrid(historyList(history)), [history]);
  const ref = useD3((svg) => renderHeatmap(svg, grid), [grid]);
  return (
    <figure className="view">
      <figcaption>
        α history: softmax(α) p<sub>o</sub> per edge (6 rows per edge, op colour at left) over
        steps; colours span the range printed below (dark = lowest p, yellow = highest)
      </figcaption>
      <svg
        ref={ref}
        data-testid="heatmap-svg"
        data-columns={grid.steps.length}
        role="img"
        aria-label="alpha heat map"
      />
    </figure>
  );
}
