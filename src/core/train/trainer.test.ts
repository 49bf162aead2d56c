import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { useWasm } from '../nn/testBackend';
import { prepareImage, PatchSampler } from '../data/patches';
import { syntheticImage, tinyConfigs } from '../model/testUtil';
import { Adam } from './adam';
import { trainDataFromImages } from './data';
import { pack, unpack } from './pack';
import { DEFAULT_TRAIN_CONFIG, Trainer, type TrainConfig } from './trainer';

beforeAll(useWasm);

const images = [0, 1, 2].map((s) => prepareImage(syntheticImage(36, 30, s), 2, `im${s}`));
const sampler = () => new PatchSampler(images, { scale: 2, patch: 8, batch: 2, seed: 5 });
// 3 epochs of 2 steps: the EDE (t, k) changes at each epoch boundary, also across the resume.
const config: TrainConfig = {
  ...DEFAULT_TRAIN_CONFIG,
  epochs: 3,
  stepsPerEpoch: 2,
  batch: 2,
  patch: 8,
  seed: 7,
};

describe('Trainer checkpoint/resume', () => {
  it('a resumed run continues the uninterrupted loss trajectory bit-for-bit', async () => {
    for (const arch of [tinyConfigs(2)[0], tinyConfigs(2)[3]]) {
      const full = new Trainer(arch, config, sampler());
      const lossesFull: number[] = [];
      while (!full.done) lossesFull.push((await full.step()).loss);

      const first = new Trainer(arch, config, sampler());
      const losses: number[] = [];
      for (let i = 0; i < 3; i++) losses.push((await first.step()).loss);
      const { header, data } = await first.checkpoint({ note: 'x' });
      first.dispose();
      // Through the on-disk container and JSON text, as the CLI stores it.
      const back = unpack(pack(JSON.parse(JSON.stringify(header)), data));
      const resumed = Trainer.restore(back.header, back.data, sampler());
      expect(resumed.stepCount).toBe(3);
      while (!resumed.done) losses.push((await resumed.step()).loss);

      expect(losses, arch.arch).toEqual(lossesFull);
      // Same final weights too.
      const a = full.net.params.list();
      const b = resumed.net.params.list();
      for (let i = 0; i < a.length; i++)
        expect(Array.from(b[i].dataSync()), full.net.localName(a[i])).toEqual(
          Array.from(a[i].dataSync()),
        );
      full.dispose();
      resumed.dispose();
    }
  });

  it('training lowers the loss and does not leak tensors per step', async () => {
    const t = new Trainer(
      tinyConfigs(2)[0],
      { ...config, epochs: 1, stepsPerEpoch: 40, lr: 3e-3 },
      sampler(),
    );
    await t.step();
    const before = tf.memory().numTensors;
    const losses: number[] = [];
    while (!t.done) losses.push((await t.step()).loss);
    expect(tf.memory().numTensors).toBe(before);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(losses.slice(-10))).toBeLessThan(mean(losses.slice(0, 10)));
    t.dispose();
  });

  it('refuses a checkpoint of another kind', () => {
    expect(() => Trainer.restore({ format: 'x' }, new ArrayBuffer(0), sampler())).toThrow(
      /not a training checkpoint/,
    );
    expect(() => unpack(new Uint8Array(16))).toThrow(/not an srbnas checkpoint/);
  });
});

describe('Adam', () => {
  it('matches a plain-JS PyTorch-style Adam on a quadratic', () => {
    const w = tf.variable(tf.tensor1d([1, -2, 0.5]), true, 'adamTestW');
    const opt = new Adam([w], 0.1);
    const ref = [1, -2, 0.5];
    const m = [0, 0, 0];
    const v = [0, 0, 0];
    for (let t = 1; t <= 5; t++) {
      const { grads } = tf.variableGrads(() => tf.sum(tf.mul(tf.square(w), [1, 2, 3])), [w]);
      opt.apply(grads);
      tf.dispose(Object.values(grads));
      for (let i = 0; i < 3; i++) {
        const g = 2 * (i + 1) * ref[i];
        m[i] = 0.9 * m[i] + 0.1 * g;
        v[i] = 0.999 * v[i] + 0.001 * g * g;
        const denom = Math.sqrt(v[i]) / Math.sqrt(1 - 0.999 ** t) + 1e-8;
        ref[i] -= (0.1 / (1 - 0.9 ** t)) * (m[i] / denom);
      }
    }
    const got = Array.from(w.dataSync());
    for (let i = 0; i < 3; i++) expect(got[i]).toBeCloseTo(ref[i], 5);
    opt.dispose();
    w.dispose();
  });
});

describe('trainDataFromImages', () => {
  it('holds out valImages whole images (seeded), disjoint from the training pool', () => {
    const raw = [0, 1, 2, 3, 4, 5].map((s) => ({
      name: `i${s}`,
      image: syntheticImage(30, 30, s),
    }));
    const a = trainDataFromImages(raw, { scale: 2, patch: 8, batch: 2, seed: 3, valImages: 2 });
    const b = trainDataFromImages(raw, { scale: 2, patch: 8, batch: 2, seed: 3, valImages: 2 });
    expect(a.valNames).toEqual(b.valNames);
    expect(a.valNames.length).toBe(2);
    expect(a.trainNames.length).toBe(4);
    expect(a.trainNames.filter((n) => a.valNames.includes(n))).toEqual([]);
    expect(() =>
      trainDataFromImages(raw, { scale: 2, patch: 8, batch: 2, seed: 3, valImages: 6 }),
    ).toThrow(/val-images/);
  });
});
