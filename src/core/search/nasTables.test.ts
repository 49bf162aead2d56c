import { describe, expect, it } from 'vitest';
import { searchVsRandomTable, table4Markdown, type SearchVsRandomJSON } from './nasTables';
import { randomGenotype } from './randomGenotype';

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
