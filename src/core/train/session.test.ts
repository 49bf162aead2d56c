import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { useWasm } from '../nn/testBackend';
import { syntheticImage, tinyConfigs } from '../model/testUtil';
import { trainDataFromImages } from './data';
import { pack, unpack } from './pack';
import { TrainSession, type TrainHistory, type TrainStepper } from './session';
import { Trainer } from './trainer';
import { TINY_TRAIN_CONFIG } from '../testing/tinyRuns';
import { validate } from './validate';

beforeAll(useWasm);

const images = [0, 1, 2, 3].map((s) => ({ name: `im${s}`, image: syntheticImage(36, 30, s) }));
const config = TINY_TRAIN_CONFIG;
const arch = tinyConfigs(2)[0];
const dataFor = () =>
  trainDataFromImages(images, { scale: 2, patch: 8, batch: 2, seed: 7, valImages: 1 });

interface History extends TrainHistory {
  valSsim: number[];
  losses: number[];
  seconds: number;
  note: string;
}
const fresh = (opts = {}) =>
  TrainSession.fresh<History>(
    arch,
    config,
    dataFor(),
    { valPsnr: [], valSsim: [], losses: [], seconds: 0, note: 'kept' },
    opts,
  );

const weights = (s: TrainSession) =>
  s.trainer.net.params.list().map((v) => Array.from(v.dataSync()));

describe('TrainSession', () => {
  it('restored from its checkpoint bytes, continues bit for bit like an uninterrupted run', async () => {
    const full = fresh();
    const steps = [];
    while (!full.done) steps.push(await full.step());
    // Validation and a checkpoint at every epoch end, nothing in between (no time limit set).
    expect(steps.map((s) => [s.epochEnd, !!s.val, !!s.checkpoint])).toEqual(
      steps.map((_, i) => [i % 2 === 1, i % 2 === 1, i % 2 === 1]),
    );
    expect(full.history.losses).toEqual(steps.map((s) => s.loss));
    expect(full.history.valPsnr).toEqual(steps.filter((s) => s.val).map((s) => s.val!.psnr));
    expect(full.history.valPsnr).toHaveLength(3);
    // The validation is the held-out image scored by the current net.
    expect(full.history.valPsnr[2]).toBe((await validate(full.trainer.net, full.data.val)).psnr);
    expect(full.valBicubic?.psnr).toBeGreaterThan(10);

    // Stop mid-epoch (step 3 of 6), through the bytes the CLI writes and the studio keeps.
    const first = fresh();
    for (let i = 0; i < 3; i++) await first.step();
    const bytes = await first.checkpoint();
    await first.dispose();
    const seen: unknown[] = [];
    const resumed = await TrainSession.restore<History>(bytes, 'test', (h) => {
      seen.push(h.extra.note, h.config.seed, h.architecture.scale);
      return dataFor();
    });
    expect(seen).toEqual(['kept', 7, 2]);
    expect(resumed.stepCount).toBe(3);
    while (!resumed.done) await resumed.step();

    expect(resumed.history.losses).toEqual(full.history.losses);
    expect(resumed.history.valPsnr).toEqual(full.history.valPsnr);
    expect(resumed.history.valSsim).toEqual(full.history.valSsim);
    expect(weights(resumed)).toEqual(weights(full));
    await full.dispose();
    await resumed.dispose();
  });

  it('checkpoints by time between epoch ends, and keeps the seconds of earlier sessions', async () => {
    let now = 0;
    const s = fresh({ checkpointEveryMs: 1000, now: () => now });
    now = 500;
    expect((await s.step()).checkpoint).toBeUndefined(); // step 1: not yet due
    now = 1600;
    const r2 = await s.step(); // step 2 ends epoch 1 anyway
    expect(r2.epochEnd && !!r2.checkpoint).toBe(true);
    now = 2000;
    expect((await s.step()).checkpoint).toBeUndefined(); // 400 ms after the epoch-end checkpoint
    now = 2700;
    const r4 = await s.step(); // epoch end again
    expect(r4.checkpoint).toBeDefined();
    now = 3800;
    const r5 = await s.step(); // mid-epoch, 1100 ms since the last: due by time
    expect(r5.epochEnd).toBe(false);
    expect(r5.checkpoint).toBeDefined();
    const header = unpack(r5.checkpoint!).header as { step: number; extra: History };
    expect(header.step).toBe(5);
    expect(header.extra.seconds).toBeCloseTo(3.8, 9);
    expect(header.extra.losses).toHaveLength(5);
    await s.dispose();

    now = 10_000;
    const again = await TrainSession.restore<History>(r5.checkpoint!, 'test', dataFor, {
      now: () => now,
    });
    now = 12_500;
    expect(again.elapsedSeconds()).toBeCloseTo(6.3, 9);
    await again.dispose();
  });

  it('refuses bytes that are not a training checkpoint, naming the source', async () => {
    const s = fresh();
    const bytes = await s.checkpoint();
    await s.dispose();
    const before = tf.memory().numTensors;
    const bad = bytes.slice();
    bad[0] = 0;
    await expect(TrainSession.restore(bad, 'x.srbc', dataFor)).rejects.toThrow(/x\.srbc/);
    expect(tf.memory().numTensors).toBe(before);
  });
  it('refuses a well-formed file of another format (or with no header object) before reading data', async () => {
    let asked = 0;
    const dataForCounting = () => {
      asked++;
      return dataFor();
    };
    for (const header of [{ format: 'srbnas-search-checkpoint', version: 1 }, null]) {
      const bytes = pack(header, new ArrayBuffer(8));
      await expect(TrainSession.restore(bytes, 'y.srbc', dataForCounting)).rejects.toThrow(
        'y.srbc: not a training checkpoint',
      );
    }
    expect(asked).toBe(0);
  });

  it('a history with only valPsnr: no losses, SSIM or seconds are added; no held-out images: no validation', async () => {
    const data = trainDataFromImages(images, {
      scale: 2,
      patch: 8,
      batch: 2,
      seed: 7,
      valImages: 0,
    });
    const s = TrainSession.fresh(arch, config, data, { valPsnr: [] });
    expect(s.valBicubic).toBeNull();
    expect(s.totalSteps).toBe(6);
    const steps = [];
    while (!s.done) steps.push(await s.step());
    expect(steps.some((r) => r.val)).toBe(false);
    // Still a checkpoint at every epoch end.
    expect(steps.map((r) => !!r.checkpoint)).toEqual([false, true, false, true, false, true]);
    expect(s.history).toEqual({ valPsnr: [] });
    const extra = (unpack(steps[5].checkpoint!).header as { extra: TrainHistory }).extra;
    expect(extra).toEqual({ valPsnr: [] });
    await s.dispose();
  });

  it('the wall clock by default: seconds are real elapsed time', async () => {
    const t0 = Date.now();
    const s = fresh();
    await s.step();
    const secs = s.elapsedSeconds();
    expect(secs).toBeGreaterThanOrEqual(0);
    expect(secs).toBeLessThanOrEqual((Date.now() - t0) / 1000 + 1e-9);
    await s.dispose();
  });

  it('a checkpoint falls due only once strictly more than checkpointEveryMs has passed', async () => {
    let now = 0;
    const s = fresh({ checkpointEveryMs: 1000, now: () => now });
    now = 1000;
    expect((await s.step()).checkpoint).toBeUndefined(); // exactly 1000 ms: not yet
    await s.step(); // epoch end: checkpoint at 1000
    now = 2001;
    expect((await s.step()).checkpoint).toBeDefined(); // 1001 ms later
    await s.dispose();
  });

  it('distribute hands the steps to the stepper (same state), and dispose goes through it', async () => {
    const plain = fresh();
    for (let i = 0; i < 2; i++) await plain.step();
    const s = fresh();
    await s.step();
    let disposed = 0;
    let stepped = 0;
    await s.distribute(async (cp) => {
      const trainer = Trainer.restore(cp.header, cp.data, s.data.sampler);
      const stepper: TrainStepper = {
        trainer,
        step: () => {
          stepped++;
          return trainer.step();
        },
        dispose: async () => {
          disposed++;
          trainer.dispose();
        },
      };
      return stepper;
    });
    const r = await s.step();
    expect(stepped).toBe(1);
    expect(r.epochEnd).toBe(true);
    expect(r.loss).toBe(plain.history.losses[1]);
    expect(weights(s)).toEqual(weights(plain));
    await plain.dispose();
    const before = tf.memory().numTensors;
    await s.dispose();
    expect(disposed).toBe(1);
    expect(tf.memory().numTensors).toBeLessThan(before);
  });
});
