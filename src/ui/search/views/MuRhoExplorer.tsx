import * as d3 from 'd3';
import { useMemo } from 'react';
import type { L1Target } from '../../../core/search/types';
import { useStore } from '../../../state/search/store';
import { regAlphaEdge, simplexField, toTriangle, type SimplexSample } from './regulariserField';
import { useD3 } from '../../shared/views/useD3';

type Svg = d3.Selection<SVGSVGElement, unknown, null, undefined>;

const S = 220;
const PAD = 22;

/**
 * Pure render: R(α) on a 3-op simplex (colour) and the direction one descent step on λ·R moves
 * p (arrows). Under l1Target 'softmax' the μ term is constant on the simplex, so only ρ shapes
 * the field; under 'logits' μ adds its own pull.
 */
export function renderSimplex(svg: Svg, field: SimplexSample[], mark: number[] | null) {
  const W = S + 2 * PAD;
  svg.attr('viewBox', `0 0 ${W} ${S * 0.87 + 2 * PAD + 10}`);
  const X = (xy: [number, number]) => PAD + xy[0] * S;
  const Y = (xy: [number, number]) => PAD + (Math.sqrt(3) / 2 - xy[1]) * S;
  const [lo, hi] = d3.extent(field, (f) => f.value) as [number, number];
  const colour = d3
    .scaleSequential(d3.interpolateCividis)
    .domain(hi > lo ? [lo, hi] : [lo - 1e-9, hi + 1e-9]);
  const corners: [number, number][] = [
    [0, 0],
    [1, 0],
    [0.5, Math.sqrt(3) / 2],
  ];
  svg
    .selectAll('path.tri')
    .data([corners])
    .join('path')
    .attr('class', 'tri')
    .attr('fill', 'none')
    .attr('stroke', '#333')
    .attr('d', (c) => `M${c.map((p) => `${X(p)},${Y(p)}`).join('L')}Z`);
  svg
    .selectAll<SVGCircleElement, SimplexSample>('circle.sample')
    .data(field)
    .join((enter) =>
      enter
        .append('circle')
        .attr('class', 'sample')
        .call((c) => c.append('title')),
    )
    .attr('cx', (f) => X(f.xy))
    .attr('cy', (f) => Y(f.xy))
    .attr('r', 7)
    .attr('fill', (f) => colour(f.value))
    .select('title')
    .text(
      (f) =>
        `p = (${f.p.map((v) => v.toFixed(2)).join(', ')})\nR(α) = ${f.value.toFixed(4)}\n|∇ μ-term| = ${f.gradMuNorm.toExponential(2)}\n|∇ ρ-term| = ${f.gradRhoNorm.toExponential(2)}`,
    );
  const maxMove = d3.max(field, (f) => Math.hypot(...f.move)) || 1;
  const k = 0.06 / maxMove;
  svg
    .selectAll<SVGLineElement, SimplexSample>('line.move')
    .data(field)
    .join('line')
    .attr('class', 'move')
    .attr('stroke', '#d33')
    .attr('stroke-width', 1.2)
    .attr('x1', (f) => X(f.xy))
    .attr('y1', (f) => Y(f.xy))
    .attr('x2', (f) => X([f.xy[0] + k * f.move[0], f.xy[1] + k * f.move[1]]))
    .attr('y2', (f) => Y([f.xy[0] + k * f.move[0], f.xy[1] + k * f.move[1]]));
  svg
    .selectAll<SVGTextElement, string>('text.vertex')
    .data(['op A', 'op B', 'op C'])
    .join('text')
    .attr('class', 'vertex')
    .attr('font-size', 10)
    .attr('text-anchor', 'middle')
    .attr('x', (_, i) => X(corners[i]))
    .attr('y', (_, i) => Y(corners[i]) + (i === 2 ? -8 : 16))
    .text((t) => t);
  svg
    .selectAll('circle.mark')
    .data(mark ? [mark] : [])
    .join('circle')
    .attr('class', 'mark')
    .attr('r', 4)
    .attr('fill', 'none')
    .attr('stroke', '#000')
    .attr('stroke-width', 2)
    .attr('cx', (p) => X(toTriangle(p)))
    .attr('cy', (p) => Y(toTriangle(p)));
}

/** Pure render: per edge of the live search, |∂(λR)/∂α| split into the μ part and the ρ part. */
export function renderEdgeGrads(svg: Svg, rows: { mu: number; rho: number }[]) {
  const W = 420;
  const H = 260;
  svg.attr('viewBox', `0 0 ${W} ${H}`);
  const max = d3.max(rows, (r) => Math.max(r.mu, r.rho)) || 1;
  const bw = (W - 30) / Math.max(1, rows.length);
  const y = (v: number) => (H - 30) * (1 - v / max) + 10;
  const bars = rows.flatMap((r, e) => [
    { key: `mu${e}`, e, v: r.mu, dx: 0, fill: '#e15759' },
    { key: `rho${e}`, e, v: r.rho, dx: bw / 2 - 1, fill: '#4e79a7' },
  ]);
  svg
    .selectAll<SVGRectElement, (typeof bars)[number]>('rect.g')
    .data(bars, (b) => b.key)
    .join((enter) =>
      enter
        .append('rect')
        .attr('class', 'g')
        .call((r) => r.append('title')),
    )
    .attr('x', (b) => 26 + b.e * bw + b.dx)
    .attr('width', bw / 2 - 1)
    .attr('y', (b) => y(b.v))
    .attr('height', (b) => Math.max(0, H - 20 - y(b.v)))
    .attr('fill', (b) => b.fill)
    .select('title')
    .text(
      (b) =>
        `edge ${b.e}: ${b.key.startsWith('mu') ? 'μ' : 'ρ'} term |∇| = ${b.v.toExponential(3)}`,
    );
  svg
    .selectAll('text.note')
    .data([
      rows.length
        ? `|∇α λR| per edge 0..${rows.length - 1}: red μ, blue ρ (max ${max.toExponential(1)})`
        : 'per-edge gradients appear with the first step',
    ])
    .join('text')
    .attr('class', 'note')
    .attr('font-size', 11)
    .attr('x', 26)
    .attr('y', H - 4)
    .text((t) => t);
}

export function MuRhoExplorer() {
  const mu = useStore((s) => s.config.mu);
  const rho = useStore((s) => s.config.rho);
  const lambda = useStore((s) => s.config.lambda);
  const target = useStore((s) => s.config.l1Target);
  const latest = useStore((s) => s.latest);
  const field = useMemo(() => simplexField(mu, rho, target as L1Target), [mu, rho, target]);
  const edgeRows = useMemo(
    () =>
      (latest?.alpha ?? []).map((a) => {
        const r = regAlphaEdge(a, mu, rho, target);
        const n = (v: number[]) => lambda * Math.hypot(...v);
        return { mu: n(r.gradMu), rho: n(r.gradRho) };
      }),
    [latest, mu, rho, lambda, target],
  );
  const maxMu = Math.max(...field.map((f) => f.gradMuNorm));
  const simplexRef = useD3((svg) => renderSimplex(svg, field, null), [field]);
  const edgeRef = useD3((svg) => renderEdgeGrads(svg, edgeRows), [edgeRows]);
  return (
    <figure className="view">
      <figcaption>
        μ/ρ explorer: R(α) = −(μ·L1 + ρ Σp²) on a 3-op simplex for μ={mu}, ρ={rho}, L1 on{' '}
        <b>{target === 'softmax' ? 'softmax p (paper)' : 'logits α'}</b>; colour = R, red = where a
        descent step moves p
      </figcaption>
      <div className="explorer">
        <svg
          ref={simplexRef}
          data-testid="simplex-svg"
          data-target={target}
          role="img"
          aria-label="regulariser on the simplex"
        />
        <svg
          ref={edgeRef}
          data-testid="edgegrad-svg"
          role="img"
          aria-label="regulariser gradient per edge"
        />
      </div>
      <p className="note" data-testid="mu-gradient-note" data-max-mu-grad={maxMu}>
        max |∇<sub>α</sub> μ-term| over the simplex = {maxMu.toExponential(2)}.{' '}
        {target === 'softmax'
          ? 'Σ|p| = 1 for every softmax, so the paper’s μ term is a constant: it has no gradient and μ cannot steer the search. Switch the L1 target to “logits” to let μ act.'
          : 'With the L1 on the logits (α centred here), descent on −μΣ|α| grows every |α_o| — positive logits up, negative down — so μ acts, and like ρ it sharpens p.'}
      </p>
    </figure>
  );
}
