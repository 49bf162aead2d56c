import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { useWasm } from '../nn/testBackend';
import type { OpContext } from '../nn/binaryOp';
import type { EdeState } from '../nn/ede';
import { prepareImage, PatchSampler } from '../data/patches';
import { syntheticImage, tinyConfigs } from '../model/testUtil';
import type { Adam } from './adam';
import { DEFAULT_TRAIN_CONFIG, Trainer, type TrainConfig } from './trainer';

/**
 * Assembly tests of the training loop (docs/design.md §2 "Evaluation network"): what the
 * network actually receives and which optimiser settings are in force, read back from the
 * assembled trainer rather than from the config it was given.
 */
beforeAll(useWasm);

const images = [0, 1].map((s) => prepareImage(syntheticImage(30, 24, s), 2, `im${s}`));
const sampler = () => new PatchSampler(images, { scale: 2, patch: 8, batch: 2, seed: 5 });
const config: TrainConfig = {
  ...DEFAULT_TRAIN_CONFIG,
  epochs: 3,
  stepsPerEpoch: 2,
  batch: 2,
  patch: 8,
  lr: 2e-3,
  tMin: 0.1,
  tMax: 10,
};

/** IR-Net's EDE, written out: t = 10^(log10 Tmin + (log10 Tmax − log10 Tmin)·e/E), k = max(1/t, 1). */
function ede(e: number, epochs: number, tMin: number, tMax: number): EdeState {
  const t = 10 ** (Math.log10(tMin) + ((Math.log10(tMax) - Math.log10(tMin)) * e) / epochs);
  return { t, k: Math.max(1 / t, 1) };
}

describe('trainer, assembled', () => {
  it('the network receives the EDE (t, k) of the current epoch at every step', async () => {
    const trainer = new Trainer(tinyConfigs(2)[0], config, sampler());
    // Record the context each forward pass gets (EDE acts in the backward, so the forward's
    // output cannot show it; the context is what reaches the binary ops).
    const seen: EdeState[] = [];
    const net = trainer.net as { forward: typeof trainer.net.forward };
    const forward = net.forward;
    net.forward = (lr: tf.Tensor4D, bic: tf.Tensor4D, ctx: OpContext) => {
      seen.push({ ...ctx.ede });
      return forward(lr, bic, ctx);
    };
    const reported: EdeState[] = [];
    while (!trainer.done) reported.push((await trainer.step()).ede);
    trainer.dispose();
    // Epochs 0, 1, 2 of 3: t = 0.1, 10^(−1/3), 10^(1/3); k = 10, 10^(1/3), 1.
    const want = [0, 0, 1, 1, 2, 2].map((e) => ede(e, 3, 0.1, 10));
    expect(seen.length).toBe(6);
    seen.forEach((s, i) => {
      expect(s.t, `t at step ${i}`).toBeCloseTo(want[i].t, 12);
      expect(s.k, `k at step ${i}`).toBeCloseTo(want[i].k, 12);
    });
    expect(reported).toEqual(seen);
    expect(want[5].k).toBe(1);
    expect(want[0].k).toBeCloseTo(10, 12);
  });

  it('uses Adam with the configured lr, PyTorch betas/eps, over every weight of the network', () => {
    const trainer = new Trainer(tinyConfigs(2)[0], config, sampler());
    const opt = (trainer as unknown as { opt: Adam }).opt;
    expect({ lr: opt.lr, beta1: opt.beta1, beta2: opt.beta2, eps: opt.eps }).toEqual({
      lr: 2e-3,
      beta1: 0.9,
      beta2: 0.999,
      eps: 1e-8,
    });
    const names = (vs: tf.Variable[]) => vs.map((v) => v.name).sort();
    expect(names(opt.vars)).toEqual(names(trainer.net.params.list()));
    trainer.dispose();
  });

  it('the first step moves every weight with a gradient by lr (Adam step 1: lr · g/|g|)', async () => {
    const trainer = new Trainer(tinyConfigs(2)[0], config, sampler());
    const before = trainer.net.params.list().map((v) => v.dataSync().slice());
    // The same batch the step will draw: a second sampler with the same seed.
    const { grads, loss } = trainer.computeGrads(sampler().next());
    const g = trainer.net.params.list().map((v) => grads[v.name].dataSync().slice());
    tf.dispose([loss, ...Object.values(grads)]);
    await trainer.step();
    trainer.net.params.list().forEach((v, i) => {
      const after = v.dataSync();
      for (let j = 0; j < after.length; j++) {
        const gj = g[i][j];
        // Adam's first update is lr · g / (|g| + eps): ±lr where the gradient is not tiny.
        const want = before[i][j] - (2e-3 * gj) / (Math.abs(gj) + 1e-8);
        expect(after[j], `${trainer.net.localName(v)}[${j}]`).toBeCloseTo(want, 6);
      }
    });
    trainer.dispose();
  });
});
