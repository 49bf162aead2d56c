import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { downscaleBicubic, upscaleBicubic } from '../core/image/bicubic';
import { decodePng, encodePng } from '../node/image/codecNode';
import { createImage, type Image } from '../core/image/image';
import { srScore } from '../core/metrics/evaluate';
import { main } from './main';

const tmp = mkdtempSync(path.join(tmpdir(), 'srbnas-eval-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function pattern(w: number, h: number, seed: number): Image {
  const img = createImage(w, h, 3);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++)
      for (let c = 0; c < 3; c++)
        img.data[(y * w + x) * 3 + c] = (x * x * seed + y * 11 + c * 60 + ((x ^ y) & 3) * 30) % 256;
  return img;
}

/** A fake benchmark folder <tmp>/data/Fake/x2/{HR,LR} with two generated pairs. */
function makeDataset(): { dir: string; hrs: Image[] } {
  const dir = path.join(tmp, 'data');
  const hrs = [pattern(32, 24, 3), pattern(28, 30, 5)];
  for (const sub of ['HR', 'LR']) mkdirSync(path.join(dir, 'Fake', 'x2', sub), { recursive: true });
  hrs.forEach((hr, i) => {
    writeFileSync(path.join(dir, 'Fake', 'x2', 'HR', `im${i}.png`), encodePng(hr));
    writeFileSync(
      path.join(dir, 'Fake', 'x2', 'LR', `im${i}.png`),
      encodePng(downscaleBicubic(hr, 2)),
    );
  });
  return { dir, hrs };
}

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...a) => void out.push(a.join(' ')));
  const error = vi.spyOn(console, 'error').mockImplementation((...a) => void err.push(a.join(' ')));
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    const code = await main(argv);
    return { code, out: out.join('\n'), err: err.join('\n') };
  } finally {
    log.mockRestore();
    error.mockRestore();
    stderr.mockRestore();
  }
}

describe('srbnas eval / downscale / upscale', () => {
  const { dir, hrs } = makeDataset();

  it('eval prints a table and writes per-image JSON equal to srScore of bicubic', async () => {
    const json = path.join(tmp, 'out.json');
    const r = await run(['eval', '--data', dir, '--sets', 'Fake', '--scale', '2', '--json', json]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Fake\s+\d+\.\d\d \/ 0\.\d{4}/);
    const res = JSON.parse(readFileSync(json, 'utf8'));
    expect(res.results).toHaveLength(1);
    const got = res.results[0];
    expect(got.count).toBe(2);
    const want = hrs.map((hr) => srScore(hr, upscaleBicubic(downscaleBicubic(hr, 2), 2), 2));
    expect(got.images[0].psnr).toBeCloseTo(want[0].psnr, 10);
    expect(got.images[1].ssim).toBeCloseTo(want[1].ssim, 10);
    expect(got.psnr).toBeCloseTo((want[0].psnr + want[1].psnr) / 2, 10);
  });

  it('eval fails with one clear line on a bad folder or set', async () => {
    const a = await run([
      'eval',
      '--data',
      path.join(tmp, 'nope'),
      '--sets',
      'Fake',
      '--scale',
      '2',
    ]);
    expect(a.code).toBe(1);
    expect(a.err).toMatch(/datasets folder not found/);
    const b = await run(['eval', '--data', dir, '--sets', 'Other', '--scale', '2']);
    expect(b.code).toBe(1);
    expect(b.err).toMatch(/no HR\/ and LR\/ folders/);
    const c = await run(['eval', '--data', dir, '--model', 'magic']);
    expect(c.err).toMatch(/unknown model 'magic'/);
  });

  it('downscale reproduces the LR file; upscale gives the bicubic result', async () => {
    const hrFile = path.join(dir, 'Fake', 'x2', 'HR', 'im1.png');
    const lrOut = path.join(tmp, 'lr.png');
    expect((await run(['downscale', hrFile, '-o', lrOut, '--scale', '2'])).code).toBe(0);
    const lr = decodePng(new Uint8Array(readFileSync(lrOut)));
    expect(lr.data).toEqual(downscaleBicubic(hrs[1], 2).data);
    const srOut = path.join(tmp, 'sr.png');
    const u = await run(['upscale', '--model', 'bicubic', lrOut, '-o', srOut, '--scale', '2']);
    expect(u.code).toBe(0);
    expect(u.out).toMatch(/14x15 -> .*28x30/);
    const sr = decodePng(new Uint8Array(readFileSync(srOut)));
    expect(sr.data).toEqual(upscaleBicubic(lr, 2).data);
  });

  it('reports unreadable images by name', async () => {
    const bad = path.join(tmp, 'bad.png');
    writeFileSync(bad, 'not an image');
    const r = await run(['upscale', bad, '-o', path.join(tmp, 'x.png'), '--scale', '2']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/bad\.png: cannot decode image/);
    const m = await run(['downscale', path.join(tmp, 'missing.png'), '-o', bad, '--scale', '2']);
    expect(m.err).toMatch(/missing\.png: no such file/);
  });
});
