import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { foldBinary } from '../nn/binaryFold';
import { useWasm } from '../nn/testBackend';
import { toFloat } from '../image/image';
import { loadModel, serializeModel } from './format';
import { upscaleFloat } from './infer';
import { buildNetwork, INFERENCE_CTX } from './network';
import { packModel, PACKED_ENCODING } from './pack';
import { randomizeWeights, syntheticImage, tinyConfigs } from './testUtil';
import { decodeWeights } from './weights';

beforeAll(useWasm);

describe('foldBinary (docs/model-format.md §3 steps 1–4)', () => {
  it('gives signs and the folded scale s · 2^S · 1/√fanIn on hand-made filters', () => {
    // Filter [fanIn = 16, cout = 3], cout fastest. Channel 0: ±2 alternating → Ŵ = ±1,
    // mean|Ŵ| = 1, S = 0. Channel 1: one 1 among zeros → Ŵ = 3.873 / −0.258, mean|Ŵ| = 0.484,
    // log2 = −1.05, S = −1. Channel 2: constant → Ŵ = 0 → sign +1 (sign(0) = +1), mean|Ŵ| = 0,
    // 2^S = 0.
    const n = 16;
    const w = new Float32Array(n * 3);
    for (let i = 0; i < n; i++) {
      w[i * 3] = i % 2 ? -2 : 2;
      w[i * 3 + 1] = i === 5 ? 1 : 0;
      w[i * 3 + 2] = 0.7;
    }
    const s = new Float32Array([0.3, -0.7, 0.9]);
    const { sign, scale } = foldBinary(w, s, n);
    for (let i = 0; i < n; i++) {
      expect(sign[i * 3]).toBe(i % 2 ? -1 : 1);
      expect(sign[i * 3 + 1]).toBe(i === 5 ? 1 : -1);
      expect(sign[i * 3 + 2]).toBe(1);
    }
    // 1/√16 = 0.25 exactly, so c = f32(s/4) · 2^S.
    expect(scale[0]).toBe(Math.fround(s[0] / 4));
    expect(scale[1]).toBe(Math.fround(s[1] / 4) / 2);
    expect(scale[2]).toBe(0);
  });
});

describe('packModel', () => {
  for (const config of tinyConfigs(3)) {
    it(`${config.arch}: 1 bit per binary weight, counts.sizeBytes exactly, same output as float`, async () => {
      const net = buildNetwork(config, 3);
      randomizeWeights(net, 11);
      const float = await serializeModel(net, { name: 'tiny' });
      const packed = packModel(float.json, float.weights);
      expect(packed.json.encoding).toBe(PACKED_ENCODING);
      expect(packed.weights.byteLength).toBe(float.json.counts.sizeBytes);
      const names = packed.json.weightsManifest[0].weights.map((s) => s.name);
      expect(
        names.some(
          (n) => n.endsWith('/w') && !n.match(/(head|body|tail|fuse|first|last|conv\d)\/w$/),
        ),
      ).toBe(false);
      // Bits decode to the signs foldBinary gives (and nothing else changed).
      const before = decodeWeights(float.json.weightsManifest[0].weights, float.weights);
      const after = decodeWeights(packed.json.weightsManifest[0].weights, packed.weights);
      for (const [name, v] of after) {
        if (name.endsWith('/wsign')) {
          const p = name.slice(0, -'/wsign'.length);
          const w = before.get(`${p}/w`)!;
          const [k, , cg] = w.shape;
          const f = foldBinary(w.values, before.get(`${p}/s`)!.values, k * k * cg);
          expect(Array.from(v.values)).toEqual(Array.from(f.sign));
          expect(Array.from(after.get(`${p}/scale`)!.values)).toEqual(Array.from(f.scale));
        } else if (!name.endsWith('/scale'))
          expect(Array.from(v.values)).toEqual(Array.from(before.get(name)!.values));
      }
      // Packed engine (WASM kernel) = float engine, bit for bit, tiled and untiled.
      const lr = toFloat(syntheticImage(23, 18, 5));
      const p = loadModel(packed);
      expect(p.net.engine).toBe('packed');
      const want = await upscaleFloat(net, lr, { tile: Infinity });
      const got = await upscaleFloat(p.net, lr, { tile: Infinity });
      const tiled = await upscaleFloat(p.net, lr, { tile: 7 });
      expect(Array.from(got.data)).toEqual(Array.from(want.data));
      expect(Array.from(tiled.data)).toEqual(Array.from(want.data));
      // A float file loaded on the packed engine is packed in memory: same again.
      const q = loadModel(float, { engine: 'packed' });
      expect(Array.from((await upscaleFloat(q.net, lr, { tile: Infinity })).data)).toEqual(
        Array.from(want.data),
      );
      // Inference does not leak tensors.
      const n0 = tf.memory().numTensors;
      await upscaleFloat(p.net, lr, { tile: 9 });
      expect(tf.memory().numTensors).toBe(n0);
      for (const m of [net, p.net, q.net]) m.dispose();
    });
  }

  it('refuses what a packed model cannot do, naming why', async () => {
    const [config] = tinyConfigs(2);
    const net = buildNetwork(config, 1);
    const float = await serializeModel(net, { name: 'tiny' });
    const packed = packModel(float.json, float.weights);
    expect(() => packModel(packed.json, packed.weights)).toThrow(/already packed/);
    expect(() => loadModel(packed, { engine: 'float' })).toThrow(/packed.*float engine needs/);
    const p = loadModel(packed);
    await expect(serializeModel(p.net, { name: 'x' })).rejects.toThrow(/only a float network/);
    // Training contexts (no `inference`) are refused: there are no latent weights to train.
    const lr = tf.zeros([1, 4, 4, 3]) as tf.Tensor4D;
    const bic = tf.zeros([1, 8, 8, 3]) as tf.Tensor4D;
    expect(() => p.net.forward(lr, bic, { ede: { t: 1, k: 1 } })).toThrow(/cannot be trained/);
    expect(() => p.net.forward(lr, bic, INFERENCE_CTX).dispose()).not.toThrow();
    const short = packed.weights.slice(0, packed.weights.byteLength - 1);
    expect(() => loadModel({ json: packed.json, weights: short })).toThrow(/weights.bin: .* bytes/);
    tf.dispose([lr, bic]);
    net.dispose();
    p.net.dispose();
  });
});
