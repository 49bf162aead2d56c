import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { useWasm } from '../nn/testBackend';
import { toFloat } from '../image/image';
import { receptiveRadius } from './count';
import {
  bicubicUp,
  lrCropOf,
  upscaleFloat,
  upscaleImage,
  compactTile,
  readOutput,
  warmUp,
  upscaleTiles,
  type SrTile,
} from './infer';
import { resizeBicubic, upscaleBicubic } from '../image/bicubic';
import { createImage } from '../image/image';
import { buildNetwork, INFERENCE_CTX } from './network';
import { SHUFFLE_ADD_KERNEL } from '../kernels/shuffleAdd';
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
    await expect(upscaleFloat(net, huge)).rejects.toThrow(
      'a 2100x2000 image at x4 gives 67 MP, above the limit of 64 MP: crop or shrink it first',
    );
    const grey = { width: 4, height: 4, channels: 1 as const, data: new Float32Array(16) };
    await expect(upscaleFloat(net, grey)).rejects.toThrow('upscaleFloat: expects an RGB image');
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

  it('8-bit result = the float SR clamped and rounded per sample; grey = mean of the RGB outputs', async () => {
    const net = buildNetwork(tinyConfigs(2)[1], 1);
    randomizeWeights(net, 5, 0.3);
    const rgb = syntheticImage(13, 9, 6);
    // The float SR of the same pixels (RGB, and the grey image as three equal channels).
    const grey = {
      width: 13,
      height: 9,
      channels: 1 as const,
      data: rgb.data.filter((_, i) => i % 3 === 0),
    };
    const greyAsRgb = {
      ...grey,
      channels: 3 as const,
      data: Uint8Array.from(
        { length: grey.data.length * 3 },
        (_, i) => grey.data[Math.floor(i / 3)],
      ),
    };
    const fRgb = await upscaleFloat(net, toFloat(rgb));
    const fGrey = await upscaleFloat(net, toFloat(greyAsRgb));
    const round = (v: number) =>
      Number.isNaN(v) || v <= 0 ? 0 : v >= 255 ? 255 : Math.floor(v + 0.5);
    // Tiles of 5 (partial at the right and bottom), so every tile lands at its own offset.
    const out = await upscaleImage(net, rgb, { tile: 5 });
    const g = await upscaleImage(net, grey, { tile: 5 });
    expect(Array.from(out.data)).toEqual(Array.from(fRgb.data, (v) => round(v * 255)));
    const wantGrey = Array.from({ length: 26 * 18 }, (_, i) =>
      round(((fGrey.data[3 * i] + fGrey.data[3 * i + 1] + fGrey.data[3 * i + 2]) / 3) * 255),
    );
    expect(Array.from(g.data)).toEqual(wantGrey);
    // The outputs are not trivially clamped: both ends and the middle occur.
    expect(new Set(out.data).size).toBeGreaterThan(50);
    net.dispose();
  });

  it("`only` runs just the chosen tiles, counts progress over them, and they equal the whole run's", async () => {
    const net = buildNetwork(tinyConfigs(2)[0], 2);
    randomizeWeights(net, 3, 0.2);
    const img = syntheticImage(30, 20, 5);
    const all: SrTile[] = [];
    // A sink that keeps tiles copies them (on WASM a tile's data is a view of the heap).
    await upscaleTiles(net, 30, 20, lrCropOf(img), (t) => all.push(compactTile(t)), { tile: 10 });
    expect(all).toHaveLength(6);
    const some: SrTile[] = [];
    const progress: [number, number][] = [];
    await upscaleTiles(net, 30, 20, lrCropOf(img), (t) => some.push(compactTile(t)), {
      tile: 10,
      only: (i) => i === 1 || i === 4,
      onTile: (d, t) => progress.push([d, t]),
    });
    expect(progress).toEqual([
      [1, 2],
      [2, 2],
    ]);
    // Tile 1 is (x 10, y 0), tile 4 is (x 10, y 10) in LR pixels: ×2 in the output.
    expect(some.map((t) => [t.x, t.y])).toEqual([
      [20, 0],
      [20, 20],
    ]);
    expect(Array.from(some[0].data)).toEqual(Array.from(all[1].data));
    expect(Array.from(some[1].data)).toEqual(Array.from(all[4].data));
    net.dispose();
  });

  it('RGBA: colour from the network, alpha enlarged by the 8-bit MATLAB bicubic', async () => {
    const net = buildNetwork(tinyConfigs(2)[0], 2);
    randomizeWeights(net, 4, 0.2);
    const rgb = syntheticImage(12, 9, 6);
    const rgba = createImage(12, 9, 4);
    const alpha = createImage(12, 9, 1);
    for (let i = 0; i < 12 * 9; i++) {
      for (let k = 0; k < 3; k++) rgba.data[4 * i + k] = rgb.data[3 * i + k];
      rgba.data[4 * i + 3] = alpha.data[i] = (i * 37) % 256;
    }
    const out = await upscaleImage(net, rgba);
    const col = await upscaleImage(net, rgb);
    const a = resizeBicubic(alpha, { direction: 'up', factor: 2 });
    expect([out.width, out.height, out.channels]).toEqual([24, 18, 4]);
    for (let i = 0; i < 24 * 18; i++) {
      expect(out.data[4 * i + 3]).toBe(a.data[i]);
      for (let k = 0; k < 3; k++) expect(out.data[4 * i + k]).toBe(col.data[3 * i + k]);
    }
    net.dispose();
  });

  it('bicubicUp is the float MATLAB bicubic: rounded, it is upscaleBicubic', () => {
    const img = syntheticImage(7, 5, 2);
    const up = bicubicUp(toFloat(img), 3);
    expect([up.width, up.height, up.channels]).toEqual([21, 15, 3]);
    const u8 = upscaleBicubic(img, 3);
    let maxDiff = 0;
    for (let i = 0; i < up.data.length; i++)
      maxDiff = Math.max(
        maxDiff,
        Math.abs(Math.round(Math.min(1, Math.max(0, up.data[i])) * 255) - u8.data[i]),
      );
    expect(maxDiff).toBeLessThanOrEqual(1);
  });

  it('compactTile copies the kept window of a strided tile into its own array', () => {
    // A 2×2-pixel tile kept from a 4-pixel-wide output, starting at its row 1, column 1.
    const data = Float32Array.from({ length: 4 * 3 * 3 }, (_, i) => i);
    const t = { x: 0, y: 0, width: 2, height: 2, data, stride: 12, offset: 12 + 3 };
    const c = compactTile(t);
    expect(Array.from(c.data)).toEqual([15, 16, 17, 18, 19, 20, 27, 28, 29, 30, 31, 32]);
    expect(c.data.buffer).not.toBe(data.buffer);
    expect(c).toMatchObject({ width: 2, height: 2 });
    expect(c.stride ?? 6).toBe(6);
    expect(c.offset ?? 0).toBe(0);
  });

  it('hands each tile over as a view of the WASM heap (no copy), read before its tensor goes', async () => {
    const net = buildNetwork(tinyConfigs(2)[0], 2);
    randomizeWeights(net, 3, 0.2);
    const heap = (tf.backend() as unknown as { wasm: { HEAPF32: Float32Array } }).wasm.HEAPF32;
    const seen: boolean[] = [];
    await upscaleTiles(
      net,
      20,
      14,
      lrCropOf(syntheticImage(20, 14, 3)),
      (t) => {
        seen.push(t.data.buffer === heap.buffer);
      },
      { tile: 10 },
    );
    expect(seen).toEqual([true, true, true, true]);
    net.dispose();
  });

  it('warmUp runs one blank tile plus context through the network, leaves no tensor, times it', async () => {
    const net = buildNetwork(tinyConfigs(2)[0], 2);
    const before = tf.memory().numTensors;
    let seconds = 0;
    const prof = await tf.profile(async () => {
      seconds = await warmUp(net, 12);
    });
    expect(tf.memory().numTensors).toBe(before);
    const side = 12 + 2 * receptiveRadius(net.config);
    const shapes = prof.kernels.flatMap((k) => k.inputShapes.map((s) => JSON.stringify(s)));
    expect(shapes).toContain(JSON.stringify([1, side, side, 3]));
    expect(seconds).toBeGreaterThan(0);
    expect(seconds).toBeLessThan(120);
    net.dispose();
  });
});

describe('readOutput', () => {
  it('hands a float32 WASM output over as a view of the heap, other tensors as copies', async () => {
    const heap = () =>
      (tf.backend() as unknown as { wasm: { HEAPF32: Float32Array } }).wasm.HEAPF32;
    const f = tf.tensor1d([1.5, -2, 3.25]);
    const v = await readOutput(f);
    expect(v.buffer).toBe(heap().buffer);
    expect(Array.from(v)).toEqual([1.5, -2, 3.25]);
    // int32 bits read as floats would be garbage: an int32 tensor is read by tfjs.
    const i = tf.tensor1d([7, -3], 'int32');
    const iv = await readOutput(i);
    expect(iv.buffer).not.toBe(heap().buffer);
    expect(Array.from(iv)).toEqual([7, -3]);
    tf.dispose([f, i]);
    // Off WASM: tfjs' own read-back.
    await tf.setBackend('cpu');
    try {
      const c = tf.tensor1d([4, 5]);
      expect(Array.from(await readOutput(c))).toEqual([4, 5]);
      c.dispose();
    } finally {
      await tf.setBackend('wasm');
    }
  });
});

describe("the network's last step at inference on WASM", () => {
  it('is one pixel-shuffle + shortcut-add kernel, not a transpose and an add (training keeps both)', async () => {
    const net = buildNetwork(tinyConfigs(3)[0], 2);
    randomizeWeights(net, 5, 0.2);
    const lr = tf.randomUniform([1, 6, 5, 3]) as tf.Tensor4D;
    const bic = tf.randomUniform([1, 18, 15, 3]) as tf.Tensor4D;
    const names = async (inference: boolean) =>
      (
        await tf.profile(() => tf.tidy(() => net.forward(lr, bic, { ...INFERENCE_CTX, inference })))
      ).kernels.map((k) => k.name);
    const inf = await names(true);
    expect(inf).toContain(SHUFFLE_ADD_KERNEL);
    expect(inf).not.toContain('Transpose');
    const train = await names(false);
    expect(train).not.toContain(SHUFFLE_ADD_KERNEL);
    expect(train).toContain('Transpose');
    tf.dispose([lr, bic]);
    net.dispose();
  });
});
