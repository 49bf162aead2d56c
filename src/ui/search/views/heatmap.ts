import type { SearchSnapshot } from '../../../core/search/types';

export interface HeatmapGrid {
  /** Columns = kept snapshots (evenly picked when there are more than maxCols). */
  steps: number[];
  /** Rows = edge × op (edge-major), values p_o in [0,1], column-major per row: v[row * cols + col]. */
  rows: number;
  values: Float32Array;
}

/** α history as a grid: p_o of every edge over steps (downsampled to at most maxCols columns). */
export function heatmapGrid(history: SearchSnapshot[], maxCols = 160): HeatmapGrid {
  const n = history.length;
  const cols = Math.min(n, maxCols);
  const pick = Array.from({ length: cols }, (_, c) =>
    cols <= 1 ? n - 1 : Math.round((c * (n - 1)) / (cols - 1)),
  );
  const edges = n ? history[0].alphaSoftmax.length : 14;
  const ops = n ? history[0].alphaSoftmax[0].length : 6;
  const rows = edges * ops;
  const values = new Float32Array(rows * cols);
  pick.forEach((h, c) => {
    const p = history[h].alphaSoftmax;
    for (let e = 0; e < edges; e++)
      for (let o = 0; o < ops; o++) values[(e * ops + o) * cols + c] = p[e][o];
  });
  return { steps: pick.map((h) => history[h].step), rows, values };
}
