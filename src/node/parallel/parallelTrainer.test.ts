import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { useWasm } from '../../core/nn/testBackend';
import { prepareImage, PatchSampler } from '../../core/data/patches';
import { syntheticImage, tinyConfigs } from '../../core/model/testUtil';
import { DEFAULT_TRAIN_CONFIG, Trainer, type TrainConfig } from '../../core/train/trainer';
import { ParallelTrainer } from '../../core/parallel/parallelTrainer';
import { createParallelTrainer } from './parallelTrainerNode';

beforeAll(useWasm);

const images = [0, 1, 2].map((s) => prepareImage(syntheticImage(36, 30, s), 2, `im${s}`));
// Batch 3 over 2 replicas: shards of 2 and 1 images.
const sampler = () => new PatchSampler(images, { scale: 2, patch: 8, batch: 3, seed: 5 });
const config: TrainConfig = {
  ...DEFAULT_TRAIN_CONFIG,
  epochs: 2,
  stepsPerEpoch: 2,
  batch: 3,
  patch: 8,
  seed: 7,
};

describe('data-parallel training', () => {
  it('1 replica = Trainer.step bit for bit; 2 threads: same losses within float tolerance, replicas identical', async () => {
    const arch = tinyConfigs(2)[0];
    const ref = new Trainer(arch, config, sampler());
    const want: number[] = [];
    while (!ref.done) want.push((await ref.step()).loss);
    ref.dispose();

    const one = await ParallelTrainer.create(arch, config, sampler(), []);
    const got1: number[] = [];
    while (!one.done) got1.push((await one.step()).loss);
    await one.dispose();
    expect(got1).toEqual(want);

    const two = await createParallelTrainer(arch, config, sampler(), 2);
    expect(two.workers).toBe(2);
    const before = tf.memory().numTensors;
    for (let i = 0; !two.done; i++) {
      const r = await two.step();
      expect(Math.abs(r.loss - want[i])).toBeLessThan(1e-5 * Math.max(1, want[i]));
      const sums = await two.checksums();
      expect(sums[1]).toBe(sums[0]);
      // Adam's moments exist from the start, so the count is flat from the first step.
      expect(tf.memory().numTensors).toBe(before);
    }
    expect(two.trainer.stepCount).toBe(want.length);
    await two.dispose();
  });
});
