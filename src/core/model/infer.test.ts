import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { useWasm } from '../nn/testBackend';
import { toFloat } from '../image/image';
import { receptiveRadius } from './count';
import { upscaleFloat, upscaleImage } from './infer';
import { buildNetwork } from './network';
import { randomizeWeights, syntheticImage, tinyConfigs } from './testUtil';

beforeAll(useWasm);

describe('tiled inference', () => {
  it('tiled == untiled (overlap = receptive radius), for every architecture', async () => {
    for (const cfg of tinyConfigs(3)) {
      const net = buildNetwork(cfg, 2);
      randomizeWeights(net, 9, 0.2);
      // Not a multiple of the tile, so edge tiles are partial.
      const lr = toFloat(syntheticImage(37, 29, 4));
      const whole = await upscaleFloat(net, lr, { tile: 1000 });
      let tiles = 0;
      const tiled = await upscaleFloat(net, lr, { tile: 11, onTile: () => tiles++ });
      expect(tiles).toBe(4 * 3);
      let maxDiff = 0;
      for (let i = 0; i < whole.data.length; i++)
        maxDiff = Math.max(maxDiff, Math.abs(whole.data[i] - tiled.data[i]));
      expect(maxDiff, cfg.arch).toBe(0);
      // And too little overlap does show seams (so the test can see them).
      if (receptiveRadius(cfg) > 2) {
        const seamy = await upscaleFloat(net, lr, { tile: 11, overlap: 0 });
        let d = 0;
        for (let i = 0; i < whole.data.length; i++)
          d = Math.max(d, Math.abs(whole.data[i] - seamy.data[i]));
        expect(d, cfg.arch).toBeGreaterThan(1e-3);
      }
      net.dispose();
    }
  });

  it('keeps memory flat over repeated upscales (every tensor disposed)', async () => {
    const net = buildNetwork(tinyConfigs(2)[0], 1);
    randomizeWeights(net, 3, 0.2);
    const img = syntheticImage(30, 20, 2);
    await upscaleImage(net, img, { tile: 8 }); // warm-up (kernels, caches)
    const before = tf.memory();
    for (let i = 0; i < 5; i++) await upscaleImage(net, img, { tile: 8 });
    const after = tf.memory();
    expect(after.numTensors).toBe(before.numTensors);
    expect(after.numBytes).toBe(before.numBytes);
    net.dispose();
  });

  it('refuses an output above MAX_OUTPUT_PIXELS with a clear message', async () => {
    const net = buildNetwork(tinyConfigs(4)[1], 1);
    const huge = { width: 2100, height: 2000, channels: 3 as const, data: new Float32Array(3) };
    await expect(upscaleFloat(net, huge)).rejects.toThrow(/MP, above the limit/);
    net.dispose();
  });

  it('returns uint8 of the same channel layout, r× larger', async () => {
    const net = buildNetwork(tinyConfigs(2)[1], 1);
    const rgb = syntheticImage(9, 7, 1);
    const out = await upscaleImage(net, rgb);
    expect([out.width, out.height, out.channels]).toEqual([18, 14, 3]);
    const gray = { width: 9, height: 7, channels: 1 as const, data: rgb.data.slice(0, 63) };
    const g = await upscaleImage(net, gray);
    expect([g.width, g.height, g.channels]).toEqual([18, 14, 1]);
    net.dispose();
  });
});
