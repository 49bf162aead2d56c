import { PAPER_TABLE4 } from '../model/paperTables';
import { markdownTable } from '../model/reportTables';
import type { Genotype } from './types';

/**
 * Report tables of the search experiments (issue 10; bench/nas.ts writes the JSON):
 * searched vs random cells, and the paper's Table 4 (μ, ρ) beside ours.
 */

interface ProxyRow {
  seed: number;
  valPsnr: number;
  params: number;
  genotype: Genotype;
}
export interface SearchVsRandomJSON {
  format: 'srbnas-search-vs-random';
  scale: number;
  preset: string;
  proxy: {
    cells: number;
    channels: number;
    groups: number;
    steps: number;
    batch: number;
    patch: number;
    valImages: number;
  };
  heldOut: string;
  /** Cells with one op on every edge: the proxy's dynamic range (absent in older files). */
  controls?: { op: string; valPsnr: number; params: number }[];
  searched: (ProxyRow & { initAgreement: number })[];
  random: ProxyRow[];
  summary: {
    searched: { mean: number; std: number; n: number };
    random: { mean: number; std: number; n: number };
    bicubic: number;
    margin: number;
    beatsRandomByOneStd: boolean;
  };
}

export interface Table4JSON {
  format: 'srbnas-table4';
  scale: number;
  preset: string;
  proxy: SearchVsRandomJSON['proxy'];
  rows: {
    mu: number;
    rho: number;
    l1Target: string;
    seed: number;
    skips: number;
    paramsPaperSize: number;
    proxyPsnr: number;
    initAgreement: number;
    maxDeviation: number;
  }[];
}

const f2 = (x: number) => x.toFixed(2);
const f3 = (x: number) => x.toFixed(3);
const k = (n: number) => `${(n / 1000).toFixed(1)} K`;
const ops = (g: Genotype) => g.normal.map(([op, i]) => `${op.replace('bin_', '')}@${i}`).join(' ');

export function searchVsRandomTable(j: SearchVsRandomJSON): string {
  const p = j.proxy;
  const s = j.summary;
  const rows = [
    ...j.searched.map((r) => [
      `searched (${j.preset}, seed ${r.seed})`,
      f3(r.valPsnr),
      k(r.params),
      ops(r.genotype),
    ]),
    ...j.random.map((r) => [
      `random (seed ${r.seed})`,
      f3(r.valPsnr),
      k(r.params),
      ops(r.genotype),
    ]),
    // The proxy's dynamic range: one op on every edge (all skip_connect = no binary op at all).
    ...(j.controls ?? []).map((c) => [
      `control: ${c.op} on every edge`,
      f3(c.valPsnr),
      k(c.params),
      c.op === 'skip_connect' ? '(no binary op: the FP head, body and tail only)' : '',
    ]),
  ];
  return [
    markdownTable(
      [
        'cells',
        'searched: mean ± std (n)',
        'random: mean ± std (n)',
        'margin',
        'bicubic',
        'searched ≥ random + 1 std',
      ],
      [
        [
          `x${j.scale}`,
          `${f3(s.searched.mean)} ± ${f3(s.searched.std)} (${s.searched.n})`,
          `${f3(s.random.mean)} ± ${f3(s.random.std)} (${s.random.n})`,
          `${s.margin >= 0 ? '+' : ''}${f3(s.margin)} dB`,
          f2(s.bicubic),
          s.beatsRandomByOneStd ? 'yes' : 'no',
        ],
      ],
    ),
    '',
    markdownTable(
      ['cell', 'held-out PSNR (dB)', 'params (proxy size)', 'genotype (op@input)'],
      rows,
    ),
    '',
    `Proxy training: ${p.cells} cells, C = ${p.channels}, groups ${p.groups}, ${p.steps} steps of batch ${p.batch} at LR patch ${p.patch}; ` +
      `PSNR on Y (border = scale) over ${j.heldOut}.`,
  ].join('\n');
}

export function table4Markdown(j: Table4JSON): string {
  const rows = j.rows.map((r) => {
    const paper = PAPER_TABLE4.find((t) => t.mu === r.mu && t.rho === r.rho);
    return [
      `μ ${r.mu} / ρ ${r.rho}`,
      r.l1Target,
      String(r.seed),
      String(r.skips),
      k(r.paramsPaperSize),
      f3(r.proxyPsnr),
      f2(r.initAgreement),
      paper ? `${paper.paramsK} K / ${f2(paper.psnr)}` : '–',
    ];
  });
  return [
    markdownTable(
      [
        '(μ, ρ)',
        'L1 target',
        'seed',
        'skips',
        'params (C = 64, 3 cells)',
        'proxy PSNR (held-out T91)',
        'init agreement',
        'paper: params / PSNR',
      ],
      rows,
    ),
    '',
    `Searches: the ${j.preset} preset with each (μ, ρ) and L1 target, x${j.scale}. Params are those of the derived cell at the ` +
      "paper's evaluation size; the proxy PSNR trains each cell as in the searched-vs-random table. The paper's PSNR is on an unnamed test set, ours on held-out T91 images.",
  ].join('\n');
}
