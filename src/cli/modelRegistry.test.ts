import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { useWasm } from '../core/nn/testBackend';
import { serializeModel } from '../core/model/format';
import { upscaleImage } from '../core/model/infer';
import { buildNetwork } from '../core/model/network';
import { randomizeWeights, syntheticImage, tinyConfigs } from '../core/model/testUtil';
import { getUpscaler } from './eval';
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
});
