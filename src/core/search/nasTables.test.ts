import { describe, expect, it } from 'vitest';
import { searchVsRandomTable, table4Markdown, type SearchVsRandomJSON } from './nasTables';
import { randomGenotype } from './randomGenotype';
import { MIXED_GENOTYPE } from '../model/testUtil';

const proxy = {
  cells: 3,
  channels: 16,
  groups: 2,
  steps: 300,
  batch: 16,
  patch: 16,
  valImages: 10,
};

describe('search experiment tables', () => {
  it('searched vs random: summary row and one row per cell', () => {
    const row = (seed: number, valPsnr: number) => ({
      seed,
      valPsnr,
      params: 12345,
      genotype: randomGenotype(seed),
    });
    const j: SearchVsRandomJSON = {
      format: 'srbnas-search-vs-random',
      scale: 3,
      preset: 'demo',
      proxy,
      heldOut: '10 T91 images',
      searched: [{ ...row(1, 30.5), initAgreement: 0.1 }],
      random: [row(2, 30.1), row(3, 30.3)],
      controls: [{ op: 'skip_connect', valPsnr: 29.95, params: 9803 }],
      summary: {
        searched: { mean: 30.5, std: 0, n: 1 },
        random: { mean: 30.2, std: 0.1414, n: 2 },
        bicubic: 29.9,
        margin: 0.3,
        beatsRandomByOneStd: true,
      },
    };
    const md = searchVsRandomTable(j);
    expect(md).toContain('30.500 ± 0.000 (1)');
    expect(md).toContain('30.200 ± 0.141 (2)');
    expect(md).toContain('+0.300 dB');
    expect(md).toContain('| yes |');
    expect(md).toContain('random (seed 3) | 30.300');
    expect(md).toContain('| control: skip_connect on every edge | 29.950 | 9.8 K |');
    expect(
      md.split('\n').filter((l) => l.startsWith('| searched (demo') || l.startsWith('| random ('))
        .length,
    ).toBe(3);
  });

  it("Table 4 puts the paper's figures beside each (μ, ρ)", () => {
    const md = table4Markdown({
      format: 'srbnas-table4',
      scale: 3,
      preset: 'demo',
      proxy,
      rows: [
        {
          mu: 0.8,
          rho: 0.2,
          l1Target: 'logits',
          seed: 1,
          skips: 2,
          paramsPaperSize: 150000,
          proxyPsnr: 31.2,
          initAgreement: 0.07,
          maxDeviation: 0.5,
        },
      ],
    });
    expect(md).toContain(
      '| μ 0.8 / ρ 0.2 | logits | 1 | 2 | 150.0 K | 31.200 | 0.07 | 192 K / 31.84 |',
    );
  });
});

// The shared hand-written cell (every op kind), so the genotype column can be written out by hand.
const CELL = MIXED_GENOTYPE;
const CELL_TEXT =
  'conv_3x3@1 skip_connect@0 dil_conv_3x3@2 conv_5x5@0 conv_7x7@3 skip_connect@1 dil_conv_5x5@4 conv_3x3@2';

describe('search experiment tables, the whole text', () => {
  const base = (): SearchVsRandomJSON => ({
    format: 'srbnas-search-vs-random',
    scale: 4,
    preset: 'standard',
    proxy,
    heldOut: '10 T91 images',
    searched: [{ seed: 5, valPsnr: 28.1234, params: 20500, genotype: CELL, initAgreement: 0.2 }],
    random: [{ seed: 6, valPsnr: 28.3, params: 19960, genotype: CELL }],
    summary: {
      searched: { mean: 28.1234, std: 0, n: 1 },
      random: { mean: 28.3, std: 0, n: 1 },
      bicubic: 27.456,
      margin: -0.1766,
      beatsRandomByOneStd: false,
    },
  });

  it('searched vs random without controls: summary, cells, proxy note', () => {
    expect(searchVsRandomTable(base())).toBe(
      [
        '| cells | searched: mean ± std (n) | random: mean ± std (n) | margin | bicubic | searched ≥ random + 1 std |',
        '| --- | --- | --- | --- | --- | --- |',
        '| x4 | 28.123 ± 0.000 (1) | 28.300 ± 0.000 (1) | -0.177 dB | 27.46 | no |',
        '',
        '| cell | held-out PSNR (dB) | params (proxy size) | genotype (op@input) |',
        '| --- | --- | --- | --- |',
        `| searched (standard, seed 5) | 28.123 | 20.5 K | ${CELL_TEXT} |`,
        `| random (seed 6) | 28.300 | 20.0 K | ${CELL_TEXT} |`,
        '',
        'Proxy training: 3 cells, C = 16, groups 2, 300 steps of batch 16 at LR patch 16; ' +
          'PSNR on Y (border = scale) over 10 T91 images.',
      ].join('\n'),
    );
  });

  it('a zero margin counts as not negative; controls explain only the all-skip cell', () => {
    const j = base();
    j.summary.margin = 0;
    j.controls = [
      { op: 'skip_connect', valPsnr: 27.5, params: 9803 },
      { op: 'bin_conv_3x3', valPsnr: 28.25, params: 15000 },
    ];
    const lines = searchVsRandomTable(j).split('\n');
    expect(lines[2]).toBe(
      '| x4 | 28.123 ± 0.000 (1) | 28.300 ± 0.000 (1) | +0.000 dB | 27.46 | no |',
    );
    expect(lines.slice(6, 10)).toEqual([
      `| searched (standard, seed 5) | 28.123 | 20.5 K | ${CELL_TEXT} |`,
      `| random (seed 6) | 28.300 | 20.0 K | ${CELL_TEXT} |`,
      '| control: skip_connect on every edge | 27.500 | 9.8 K | (no binary op: the FP head, body and tail only) |',
      '| control: bin_conv_3x3 on every edge | 28.250 | 15.0 K |  |',
    ]);
  });

  it('Table 4: the whole text; a (μ, ρ) the paper did not run gets a dash', () => {
    const row = { l1Target: 'softmax', seed: 2, skips: 0, maxDeviation: 0.1 };
    const md = table4Markdown({
      format: 'srbnas-table4',
      scale: 2,
      preset: 'demo',
      proxy,
      rows: [
        // μ of one paper row and ρ of another: not a paper pair.
        {
          ...row,
          mu: 0.5,
          rho: 0.8,
          paramsPaperSize: 98765,
          proxyPsnr: 33.3333,
          initAgreement: 0.5,
        },
        { ...row, mu: 0.2, rho: 0.8, paramsPaperSize: 366000, proxyPsnr: 33, initAgreement: 1 },
      ],
    });
    expect(md).toBe(
      [
        '| (μ, ρ) | L1 target | seed | skips | params (C = 64, 3 cells) | proxy PSNR (held-out T91) | init agreement | paper: params / PSNR |',
        '| --- | --- | --- | --- | --- | --- | --- | --- |',
        '| μ 0.5 / ρ 0.8 | softmax | 2 | 0 | 98.8 K | 33.333 | 0.50 | – |',
        '| μ 0.2 / ρ 0.8 | softmax | 2 | 0 | 366.0 K | 33.000 | 1.00 | 366 K / 32.17 |',
        '',
        'Searches: the demo preset with each (μ, ρ) and L1 target, x2. Params are those of the derived cell at the ' +
          "paper's evaluation size; the proxy PSNR trains each cell as in the searched-vs-random table. " +
          "The paper's PSNR is on an unnamed test set, ours on held-out T91 images.",
      ].join('\n'),
    );
  });
});
