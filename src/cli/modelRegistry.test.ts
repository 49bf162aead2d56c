import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { decodePng, encodePng } from '../node/image/codecNode';
import { useWasm } from '../core/nn/testBackend';
import { serializeModel } from '../core/model/format';
import { upscaleImage } from '../core/model/infer';
import { buildNetwork } from '../core/model/network';
import { randomizeWeights, syntheticImage, tinyConfigs } from '../core/model/testUtil';
import { getUpscaler } from './eval';
import { main } from './main';
import { writeModelDir } from './modelFiles';

beforeAll(useWasm);

describe('--model <trained folder>', () => {
  it('eval/upscale load a saved model and reproduce its output exactly', async () => {
    const dir = path.join(mkdtempSync(path.join(tmpdir(), 'srbnas-model-')), 'tiny');
    const net = buildNetwork(tinyConfigs(2)[0], 4);
    randomizeWeights(net, 8, 0.2);
    await writeModelDir(dir, await serializeModel(net, { name: 'tiny' }));
    const img = syntheticImage(21, 17, 3);
    const want = await upscaleImage(net, img);
    const upscaler = await getUpscaler(dir);
    const got = await upscaler(img, 2);
    expect(Array.from(got.data)).toEqual(Array.from(want.data));
    await expect(upscaler(img, 3)).rejects.toThrow(/upscales x2, not x3/);
    net.dispose();
  });

  it('upscale takes the scale from the model and gives the same bytes tiled and untiled', async () => {
    const tmp = mkdtempSync(path.join(tmpdir(), 'srbnas-tile-'));
    const dir = path.join(tmp, 'tiny3');
    const net = buildNetwork(tinyConfigs(3)[0], 5);
    randomizeWeights(net, 9, 0.2);
    await writeModelDir(dir, await serializeModel(net, { name: 'tiny3' }));
    const input = path.join(tmp, 'in.png');
    writeFileSync(input, encodePng(syntheticImage(37, 29, 5)));
    const quiet = [
      vi.spyOn(console, 'log').mockImplementation(() => {}),
      vi.spyOn(console, 'error').mockImplementation(() => {}),
    ];
    try {
      const outs = [];
      for (const tile of ['0', '7', '128']) {
        const out = path.join(tmp, `out-${tile}.png`);
        expect(await main(['upscale', '--model', dir, input, '-o', out, '--tile', tile])).toBe(0);
        outs.push(decodePng(new Uint8Array(readFileSync(out))));
      }
      expect([outs[0].width, outs[0].height]).toEqual([111, 87]);
      for (const o of outs.slice(1)) expect(Array.from(o.data)).toEqual(Array.from(outs[0].data));
      // Bicubic has no scale of its own.
      expect(await main(['upscale', input, '-o', path.join(tmp, 'b.png')])).toBe(1);
      expect(String(quiet[1].mock.calls.at(-1))).toMatch(/--scale is required for --model bicubic/);
    } finally {
      quiet.forEach((q) => q.mockRestore());
      net.dispose();
    }
  });
});
