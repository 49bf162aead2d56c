import { describe, expect, it } from 'vitest';
import { countModel } from './count';
import { table2, table3, type ReportEntry } from './reportTables';

const entry = (
  name: string,
  method: ReportEntry['method'],
  psnr: number,
  scale = 3,
): ReportEntry => ({
  name,
  method,
  description: name,
  counts:
    method === 'espcn' ? countModel({ arch: 'espcn', scale: 3, widths: [64, 32] }) : undefined,
  scores: new Map([
    [`Set5:${scale}`, { psnr, ssim: 0.9 }],
    [`BSD100:${scale}`, { psnr: psnr - 3, ssim: 0.8 }],
  ]),
});

describe('report tables', () => {
  it("put the paper's figure for the same method beside ours, rows dataset × scale", () => {
    const md = table2([entry('bicubic', 'bicubic', 30.4), entry('espcn-x3', 'espcn', 32.1)]);
    const lines = md.split('\n');
    expect(lines[0]).toBe(
      '| Dataset | Scale | bicubic (ours) | Bicubic (paper) | espcn-x3 (ours) | ESPCN (Full Precision) (paper) |',
    );
    expect(lines[2]).toBe('| Set5 | ×3 | 30.40/0.9000 | 30.46/0.87 | 32.10/0.9000 | 32.29/– |');
    expect(lines[3]).toBe('| BSD100 | ×3 | 27.40/0.8000 | 27.26/0.75 | 29.10/0.8000 | 28.16/– |');
    expect(lines.length).toBe(4);
  });

  it('merges the per-scale models of one recipe into one column, keeps others apart', () => {
    const md = table2([
      entry('espcn-long-x3', 'espcn', 32.5, 3),
      entry('espcn-x3', 'espcn', 32.1, 3),
      entry('espcn-x4', 'espcn', 29.5, 4),
    ]);
    const lines = md.split('\n');
    expect(lines[0]).toBe(
      '| Dataset | Scale | espcn-long-x3 (ours) | ESPCN (Full Precision) (paper) | espcn (ours) | ESPCN (Full Precision) (paper) |',
    );
    expect(lines[2]).toBe('| Set5 | ×3 | 32.50/0.9000 | 32.29/– | 32.10/0.9000 | 32.29/– |');
    expect(lines[4]).toBe('| Set5 | ×4 | – | 28.80/– | 29.50/0.9000 | 28.80/– |');
    expect(lines.length).toBe(6);
  });

  it('Table 3 lists counted models only, ESPCN has no paper row', () => {
    const md = table3([entry('bicubic', 'bicubic', 30), entry('espcn-x3', 'espcn', 32)]);
    const rows = md.split('\n').slice(2);
    expect(rows.length).toBe(1);
    // ESPCN x3: 5·5·3·64+64 + 3·3·64·32+32 + 3·3·32·27+27 = 4864 + 18464 + 7803 = 31131.
    expect(rows[0]).toMatch(/^\| espcn-x3 \| 31\.1 K \| 0\.0 K \| 31\.1 K \|.*\| – \|$/);
  });
});
