import type { SearchSnapshot } from '../../../core/search/types';
import { gradientSignal, maxDeviation } from '../../../core/search/signal';

export interface CurveSpec {
  key: string;
  label: string;
  value: (s: SearchSnapshot) => number;
  format: (v: number) => string;
}

const fmt = (d: number) => (v: number) => (Number.isFinite(v) ? v.toFixed(d) : '–');

/** The run's scalar curves (what the brief and the paper's Table 4 care about). */
export const CURVES: CurveSpec[] = [
  { key: 'wLoss', label: 'w-loss (L1, train)', value: (s) => s.wLoss, format: fmt(4) },
  { key: 'valLoss', label: 'val-loss (L1, α-val)', value: (s) => s.valLoss, format: fmt(4) },
  { key: 'regAlpha', label: 'R(α)', value: (s) => s.regAlpha, format: fmt(3) },
  { key: 'regBeta', label: 'R(β)', value: (s) => s.regBeta, format: fmt(3) },
  {
    key: 'entropy',
    label: 'mean entropy of p (nats)',
    value: (s) => s.entropy.reduce((a, b) => a + b, 0) / Math.max(1, s.entropy.length),
    format: fmt(3),
  },
  {
    key: 'dataShare',
    label: 'data share of the α gradient (%)',
    // RMS of the data part / (data + regulariser parts), centred per edge (signal.ts); NaN
    // before the first α/β step.
    value: (s) => (s.archGrad ? 100 * gradientSignal([s.archGrad])!.dataShare : NaN),
    format: fmt(0),
  },
  {
    key: 'maxDev',
    label: 'max |p − 1/6|',
    value: (s) => maxDeviation(s.alphaSoftmax),
    format: fmt(3),
  },
  {
    key: 'skips',
    label: '# skip_connect in derived cell',
    value: (s) => s.genotype.normal.filter(([o]) => o === 'skip_connect').length,
    format: fmt(0),
  },
  {
    key: 'params',
    label: 'derived params (K)',
    value: (s) => s.derivedParams / 1000,
    format: fmt(1),
  },
];

export interface CurveSeries {
  key: string;
  label: string;
  points: [number, number][];
  last: string;
}

/** Finite points (step, value) per curve; NaN (val-loss before the first arch step) is skipped. */
export function curveSeries(history: SearchSnapshot[]): CurveSeries[] {
  return CURVES.map((c) => {
    const points: [number, number][] = [];
    for (const s of history) {
      const v = c.value(s);
      if (Number.isFinite(v)) points.push([s.step, v]);
    }
    return {
      key: c.key,
      label: c.label,
      points,
      last: points.length ? c.format(points[points.length - 1][1]) : '–',
    };
  });
}
