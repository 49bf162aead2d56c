/**
 * Shared cell geometry: the 6 states (two inputs, four intermediate nodes) and the output on a
 * horizontal line; an edge i→j is an arc whose height grows with the distance j − i, above the
 * line for even i and below for odd i, so the 14 edges of the supernet do not sit on top of
 * each other.
 */
export const CELL_W = 640;
export const LINE_Y = 120;
export const nodeX = (i: number) => 40 + i * 100;
export const OUT_X = 620;

export function arcPath(i: number, j: number): { d: string; mid: [number, number] } {
  const x0 = nodeX(i);
  const x1 = nodeX(j);
  const h = 18 * (j - i) * (i % 2 === 0 ? -1 : 1);
  const cx = (x0 + x1) / 2;
  const cy = LINE_Y + 2 * h;
  // Midpoint of the quadratic Bézier (t = 1/2).
  const mid: [number, number] = [cx, LINE_Y + h];
  return { d: `M${x0},${LINE_Y} Q${cx},${cy} ${x1},${LINE_Y}`, mid };
}
