/** A small line chart (SVG, no axes library): several series over a shared x range. */
export interface Series {
  label: string;
  colour: string;
  points: [number, number][];
  dashed?: boolean;
}

export function Curve({
  series,
  title,
  testId,
}: {
  series: Series[];
  title: string;
  testId: string;
}) {
  const W = 320;
  const H = 140;
  const P = 28;
  const all = series.flatMap((s) => s.points);
  const xs = all.map((p) => p[0]);
  const ys = all.map((p) => p[1]).filter(Number.isFinite);
  const x0 = Math.min(...xs, 0);
  const x1 = Math.max(...xs, 1);
  let y0 = Math.min(...ys);
  let y1 = Math.max(...ys);
  if (!ys.length) [y0, y1] = [0, 1];
  if (y1 - y0 < 1e-9) [y0, y1] = [y0 - 0.5, y1 + 0.5];
  const sx = (x: number) => P + ((x - x0) / (x1 - x0 || 1)) * (W - P - 6);
  const sy = (y: number) => H - 16 - ((y - y0) / (y1 - y0)) * (H - 28);
  return (
    <figure className="studio-curve">
      <figcaption>{title}</figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} data-testid={testId} data-points={all.length}>
        <line x1={P} x2={W} y1={H - 16} y2={H - 16} stroke="#999" />
        <line x1={P} x2={P} y1={0} y2={H - 16} stroke="#999" />
        <text x={2} y={12} fontSize={9}>
          {y1.toPrecision(4)}
        </text>
        <text x={2} y={H - 18} fontSize={9}>
          {y0.toPrecision(4)}
        </text>
        {series.map((s) => (
          <polyline
            key={s.label}
            className="series"
            fill="none"
            stroke={s.colour}
            strokeWidth={1.5}
            strokeDasharray={s.dashed ? '4 3' : undefined}
            points={s.points.map(([x, y]) => `${sx(x)},${sy(y)}`).join(' ')}
          />
        ))}
      </svg>
      <div className="studio-legend">
        {series.map((s) => (
          <span key={s.label} style={{ color: s.colour }}>
            ■ {s.label}{' '}
          </span>
        ))}
      </div>
    </figure>
  );
}
