import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { useWasm } from '../nn/testBackend';
import { prepareImage, PatchSampler } from '../data/patches';
import { syntheticImage, tinyConfigs } from '../model/testUtil';
import { Adam } from './adam';
import { trainDataFromImages } from './data';
import { pack, unpack } from './pack';
import { Trainer } from './trainer';
import { TINY_TRAIN_CONFIG } from '../testing/tinyRuns';

beforeAll(useWasm);

const images = [0, 1, 2].map((s) => prepareImage(syntheticImage(36, 30, s), 2, `im${s}`));
const sampler = () => new PatchSampler(images, { scale: 2, patch: 8, batch: 2, seed: 5 });
// 3 epochs of 2 steps: the EDE (t, k) changes at each epoch boundary, also across the resume.
const config = TINY_TRAIN_CONFIG;

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

describe('Trainer guards and bookkeeping', () => {
  const arch = tinyConfigs(2)[0];

  it('refuses non-positive or fractional loop sizes, naming the setting', () => {
    expect(() => new Trainer(arch, { ...config, epochs: 0 }, sampler())).toThrow(
      'epochs must be a positive integer, got 0',
    );
    expect(() => new Trainer(arch, { ...config, batch: 1.5 }, sampler())).toThrow(
      'batch must be a positive integer, got 1.5',
    );
  });

  it('marks the last step of each epoch and stops after epochs × stepsPerEpoch', async () => {
    const t = new Trainer(arch, config, sampler());
    const ends: boolean[] = [];
    const epochs: number[] = [];
    while (!t.done) {
      const r = await t.step();
      ends.push(r.epochEnd);
      epochs.push(r.epoch);
    }
    expect(ends).toEqual([false, true, false, true, false, true]);
    expect(epochs).toEqual([0, 0, 1, 1, 2, 2]);
    expect([t.stepCount, t.totalSteps, t.epoch]).toEqual([6, 6, 3]);
    t.dispose();
  });

  it('a non-finite loss stops the step with a message and no update, leaking nothing', async () => {
    const bad = sampler();
    const next = bad.next.bind(bad);
    bad.next = () => {
      const b = next();
      b.hr[0] = NaN;
      return b;
    };
    const t = new Trainer(arch, config, bad);
    const w = t.net.params.list().map((v) => v.dataSync().slice());
    const before = tf.memory().numTensors;
    await expect(t.step()).rejects.toThrow('training loss became NaN at step 0 (epoch 0)');
    expect(tf.memory().numTensors).toBe(before);
    t.net.params.list().forEach((v, i) => expect(v.dataSync()).toEqual(w[i]));
    expect(t.stepCount).toBe(0);
    t.dispose();
  });

  it('dispose frees the network and the optimiser state', () => {
    const before = tf.memory().numTensors;
    new Trainer(arch, config, sampler()).dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('restore checks the kind, version and data position of a checkpoint', async () => {
    const t = new Trainer(arch, config, sampler());
    for (let i = 0; i < 3; i++) await t.step();
    const { header, data } = await t.checkpoint();
    expect(header.drawn).toBe(3);
    expect(() => Trainer.restore(null, data, sampler())).toThrow(/not a training checkpoint/);
    expect(() => Trainer.restore({ ...header, version: 2 }, data, sampler())).toThrow(
      /not a training checkpoint/,
    );
    // A stream that already drew 1 batch is advanced by 2 more, not 3.
    const partly = sampler();
    partly.next();
    const r = Trainer.restore(header, data, partly);
    const fresh = sampler();
    fresh.skip(3);
    expect(partly.next()).toEqual(fresh.next());
    const ahead = sampler();
    ahead.skip(4);
    expect(() => Trainer.restore(header, data, ahead)).toThrow(
      'data stream is already past the checkpoint (4 > 3)',
    );
    // A stream exactly at the checkpoint's position is fine (nothing to skip).
    const exact = sampler();
    exact.skip(3);
    Trainer.restore(header, data, exact).dispose();
    // A checkpoint without one of its tensors, or with a tensor under another name, names
    // itself in the error.
    const missing = { ...header, tensors: header.tensors.slice(1) };
    expect(() => Trainer.restore(missing, data, sampler())).toThrow(/^checkpoint: /);
    const renamed = {
      ...header,
      tensors: header.tensors.map((t, i) => (i === 0 ? { ...t, name: 'w:nothing' } : t)),
    };
    expect(() => Trainer.restore(renamed, data, sampler())).toThrow(/^checkpoint: no value for w:/);
    t.dispose();
    r.dispose();
  });
});

describe('Adam state', () => {
  it('keeps moments as non-trainable variables, skips variables without a gradient, frees all', () => {
    const a = tf.variable(tf.tensor1d([1, 2]), true, 'adamStateA');
    const b = tf.variable(tf.tensor1d([3]), true, 'adamStateB');
    const before = tf.memory().numTensors;
    // b first: a variable without a gradient must not stop the update of the ones after it.
    const opt = new Adam([b, a], 0.1);
    expect([...opt.m.values(), ...opt.v.values()].every((m) => !m.trainable)).toBe(true);
    const g = tf.tensor1d([1, -1]);
    opt.apply({ [a.name]: g });
    // Adam's first step: ∓lr on each coordinate of a.
    const [a0, a1] = a.dataSync();
    expect(a0).toBeCloseTo(0.9, 6);
    expect(a1).toBeCloseTo(2.1, 6);
    expect(Array.from(b.dataSync())).toEqual([3]);
    expect(Array.from(opt.m.get(b.name)!.dataSync())).toEqual([0]);
    opt.dispose();
    g.dispose();
    expect(tf.memory().numTensors).toBe(before);
    a.dispose();
    b.dispose();
  });
});
