import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { useWasm } from '../nn/testBackend';
import { prepareImage, PatchSampler } from '../data/patches';
import { Trainer, DEFAULT_TRAIN_CONFIG } from '../train/trainer';
import { loadModel, serializeModel, validateModelJSON } from './format';
import { assignWeights, encodeEntries } from './weights';
import type { ArchConfig } from './config';
import { buildNetwork, INFERENCE_CTX } from './network';
import { syntheticImage, tinyConfigs } from './testUtil';

beforeAll(useWasm);

const input = (n: number, r: number) => ({
  lr: tf.randomUniform([1, n, n, 3], 0, 1, 'float32', 11) as tf.Tensor4D,
  bic: tf.randomUniform([1, n * r, n * r, 3], 0, 1, 'float32', 12) as tf.Tensor4D,
});

describe('model format: train -> save -> load', () => {
  it('gives exactly the same outputs, for every architecture', async () => {
    const images = [0, 1].map((s) => prepareImage(syntheticImage(40, 40, s), 2, `im${s}`));
    for (const cfg of tinyConfigs(2)) {
      const sampler = new PatchSampler(images, { scale: 2, patch: 8, batch: 2, seed: 3 });
      const trainer = new Trainer(
        cfg,
        { ...DEFAULT_TRAIN_CONFIG, epochs: 2, stepsPerEpoch: 2, batch: 2, patch: 8 },
        sampler,
      );
      while (!trainer.done) await trainer.step();
      const saved = await serializeModel(trainer.net, { name: 't' });
      // Through JSON text, as files carry it.
      const json: unknown = JSON.parse(JSON.stringify(saved.json));
      const { net } = loadModel({ json, weights: saved.weights });
      const { lr, bic } = input(10, 2);
      const a = trainer.net.forward(lr, bic, INFERENCE_CTX);
      const b = net.forward(lr, bic, INFERENCE_CTX);
      expect(Array.from(b.dataSync()), cfg.arch).toEqual(Array.from(a.dataSync()));
      // Training moved the weights away from the (bicubic) start.
      expect(tf.max(tf.abs(tf.sub(a, bic))).dataSync()[0], cfg.arch).toBeGreaterThan(0);
      tf.dispose([lr, bic, a, b]);
      net.dispose();
      trainer.dispose();
    }
  });

  it('rejects bad files with a message naming the problem', async () => {
    const cfg = tinyConfigs(2)[0];
    const trainer = new Trainer(
      cfg,
      DEFAULT_TRAIN_CONFIG,
      new PatchSampler([prepareImage(syntheticImage(24, 24, 1), 2)], {
        scale: 2,
        patch: 8,
        batch: 1,
        seed: 1,
      }),
    );
    const { json, weights } = await serializeModel(trainer.net, { name: 't' });
    trainer.dispose();
    const clone = () => JSON.parse(JSON.stringify(json)) as Record<string, unknown>;
    expect(() => validateModelJSON({ ...clone(), format: 'x' })).toThrow(/format/);
    // encoding: absent or float32 (float files), packed-1bit; anything else is named.
    expect(validateModelJSON({ ...clone(), encoding: 'float32' }).encoding).toBe('float32');
    expect(() => validateModelJSON({ ...clone(), encoding: 'int8' })).toThrow(
      'model.json: encoding must be "float32" or "packed-1bit", got "int8"',
    );
    const badGenotype = clone();
    (badGenotype.architecture as { genotype: { normal: unknown[] } }).genotype.normal[0] = [
      'bin_conv_9x9',
      1,
    ];
    expect(() => validateModelJSON(badGenotype)).toThrow(/normal\[0\]\[0\]/);
    const badCells = clone();
    (badCells.architecture as { cells: number }).cells = 0;
    expect(() => validateModelJSON(badCells)).toThrow(/architecture.cells/);
    expect(() => loadModel({ json, weights: weights.slice(4) })).toThrow(/bytes/);
    const otherArch = clone();
    (otherArch.architecture as { channels: number }).channels = 4;
    // The half-built network is disposed: no more tensors remain than after building and
    // disposing the same network (Params keeps one initial-value tensor per variable today,
    // see the report; that is not the loader's doing).
    let before = tf.memory().numTensors;
    buildNetwork(otherArch.architecture as ArchConfig).dispose();
    const paramsResidue = tf.memory().numTensors - before;
    before = tf.memory().numTensors;
    expect(() => loadModel({ json: otherArch, weights })).toThrow(
      /has shape \[[0-9,]+\], the network needs \[[0-9,]+\]/,
    );
    expect(tf.memory().numTensors - before).toBe(paramsResidue);
  });
});

describe('weights: what a wrong file says', () => {
  it('an entry with the wrong number of values names it and its shape', () => {
    expect(() =>
      encodeEntries([
        { spec: { name: 'head/w', shape: [2, 2], dtype: 'float32' }, values: [1, 2, 3] },
      ]),
    ).toThrow('head/w: 3 values for [2,2]');
    expect(() =>
      encodeEntries([{ spec: { name: 'op/wsign', shape: [9], dtype: 'bit' }, values: [1, -1] }]),
    ).toThrow('op/wsign: 2 values for [9]');
  });

  it('values of variables the network lacks are named (the first five)', () => {
    const v = tf.variable(tf.zeros([2]), true, 'assign-test/a');
    const entry = (x: number) => ({ shape: [2], values: Float32Array.of(x, x) });
    const values = new Map([['a', entry(1)]]);
    for (const k of ['b', 'c', 'd', 'e', 'f', 'g', 'h']) values.set(k, entry(0));
    expect(() => assignWeights([v], () => 'a', values, 'm.bin')).toThrow(
      /^m\.bin: values for unknown variables: b, c, d, e, f$/,
    );
    // Same rank, one dimension off: refused by shape, before any value is read.
    const wrong = new Map([['a', { shape: [3], values: new Float32Array(3) }]]);
    expect(() => assignWeights([v], () => 'a', wrong)).toThrow(
      'weights: a has shape [3], the network needs [2]',
    );
    v.dispose();
  });
});
