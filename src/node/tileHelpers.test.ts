import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWasmBackend } from '../cli/nodeBackend';
import { loadModel } from '../core/model/format';
import { upscaleImage } from '../core/model/infer';
import { syntheticImage } from '../core/model/testUtil';
import { upscaleImageShared } from '../worker/tilePool';
import { nodeTilePool } from './tileHelpers';

const root = path.resolve(import.meta.dirname, '../..');
const dir = path.join(root, 'public/models/x2');
const files = () => {
  const b = readFileSync(path.join(dir, 'weights.bin'));
  return {
    json: JSON.parse(readFileSync(path.join(dir, 'model.json'), 'utf8')) as unknown,
    weights: b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer,
  };
};
const pool = nodeTilePool(1);

beforeAll(async () => {
  await startWasmBackend();
  await pool.ready;
  pool.load('x2', files().json, files().weights);
});
afterAll(() => pool.dispose());

describe('tile helper threads (worker_threads, own tfjs WASM each)', () => {
  it('give the one-thread image bit for bit, whole-width bands or many tiles', async () => {
    const { net } = loadModel(files());
    for (const [img, tile] of [
      [syntheticImage(45, 38, 3), 256],
      [syntheticImage(60, 41, 4), 16],
    ] as const) {
      const want = await upscaleImage(net, img, { tile: Infinity });
      let last = 0;
      const got = await upscaleImageShared(net, img, tile, (d) => (last = d), {
        helpers: pool,
        modelId: 'x2',
        jobId: `t${tile}`,
      });
      expect(Buffer.from(got.data)).toEqual(Buffer.from(want.data));
      expect(last).toBeGreaterThan(1);
    }
    net.dispose();
  });
});
