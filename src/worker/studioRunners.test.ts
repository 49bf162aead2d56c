import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { downscaleBicubic, upscaleBicubic } from '../core/image/bicubic';
import { modcrop } from '../core/image/image';
import { srScore } from '../core/metrics/evaluate';
import { useWasm } from '../core/nn/testBackend';
import { loadModel } from '../core/model/format';
import { upscaleImage } from '../core/model/infer';
import { syntheticImage } from '../core/model/testUtil';
import { validateGenotypeJSON, type GenotypeJSON } from '../core/search/genotype';
import { DEFAULT_TRAIN_CONFIG } from '../core/train/trainer';
import type { StudioEvent } from './studioProtocol';
import { TrainRunner } from './trainRunner';
import { outputLimitMessage, UpscaleRunner } from './upscaleRunner';
import { copyImage } from '../core/image/image';

const root = path.resolve(import.meta.dirname, '../..');
const fixture = path.join(root, 'e2e/fixtures/tiny-x3');
const readFixture = () => {
  const json: unknown = JSON.parse(readFileSync(path.join(fixture, 'model.json'), 'utf8'));
  const b = readFileSync(path.join(fixture, 'weights.bin'));
  return {
    json,
    weights: b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer,
  };
};

function collector() {
  const events: StudioEvent[] = [];
  return { events, post: (e: StudioEvent) => events.push(e) };
}

beforeAll(useWasm);

describe('UpscaleRunner', () => {
  it('warms a loaded model up with one blank tile when warmTile is set (WASM), then upscales the same', async () => {
    const { events, post } = collector();
    const run = new UpscaleRunner(post);
    const f = readFixture();
    run.load('m', f.json, f.weights.slice(0));
    await run.warm('m'); // warmTile unset: nothing runs, nothing is reported
    expect(events.map((e) => e.status)).toEqual(['model:loaded']);
    run.warmTile = 24;
    const before = tf.memory().numTensors;
    await run.warm('m');
    expect(tf.memory().numTensors).toBe(before);
    const warm = events.at(-1) as Extract<StudioEvent, { status: 'model:warm' }>;
    expect(warm).toMatchObject({ status: 'model:warm', id: 'm' });
    expect(warm.seconds).toBeGreaterThan(0);
    await run.warm('nope'); // an unknown model: no event
    await run.warm('m'); // once per worker: the engine is warm for every model now
    expect(events.filter((e) => e.status === 'model:warm')).toHaveLength(1);
    const img = syntheticImage(20, 17, 3);
    const ref = loadModel(readFixture());
    const want = await upscaleImage(ref.net, img, { tile: 1000 });
    ref.net.dispose();
    await run.run({
      type: 'upscale',
      jobId: 'w',
      model: 'm',
      scale: 3,
      image: copyImage(img),
      mode: 'upscale',
      tile: 8,
    });
    const done = events.find((e) => e.status === 'upscale:done') as Extract<
      StudioEvent,
      { status: 'upscale:done' }
    >;
    expect(Buffer.from(done.result.data)).toEqual(Buffer.from(want.data));
    run.dispose();
  });

  it('upscales with a loaded CLI model exactly as upscaleImage does, tiled, no leaks', async () => {
    const { events, post } = collector();
    const run = new UpscaleRunner(post);
    const f = readFixture();
    run.load('m', f.json, f.weights.slice(0));
    expect(events[0]).toMatchObject({ status: 'model:loaded', id: 'm' });
    const img = syntheticImage(40, 30, 3);
    const ref = loadModel(readFixture());
    const want = await upscaleImage(ref.net, img, { tile: 1000 });
    ref.net.dispose();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) {
      await run.run({
        type: 'upscale',
        jobId: `j${i}`,
        model: 'm',
        scale: 3,
        image: copyImage(img),
        mode: 'upscale',
        tile: 16,
      });
      expect(tf.memory().numTensors).toBe(before);
    }
    const done = events.filter((e) => e.status === 'upscale:done');
    expect(done).toHaveLength(3);
    const d = done[0] as Extract<StudioEvent, { status: 'upscale:done' }>;
    // The result comes first; its bicubic comparison follows in the next event.
    expect(d.bicubic).toBeUndefined();
    const b = events[events.indexOf(d) + 1] as Extract<StudioEvent, { status: 'upscale:bicubic' }>;
    expect(b).toMatchObject({ status: 'upscale:bicubic', jobId: 'j0' });
    const got = d.result;
    expect([got.width, got.height, got.channels]).toEqual([120, 90, 3]);
    let maxDiff = 0;
    for (let i = 0; i < got.data.length; i++)
      maxDiff = Math.max(maxDiff, Math.abs(got.data[i] - want.data[i]));
    expect(maxDiff).toBeLessThanOrEqual(1);
    expect(Buffer.from(new Uint8Array(b.bicubic.data))).toEqual(
      Buffer.from(upscaleBicubic(img, 3).data),
    );
    // Progress: 3×2 tiles of 16 px.
    expect(events.filter((e) => e.status === 'upscale:progress' && e.jobId === 'j0').length).toBe(
      6,
    );
    run.dispose();
  });

  it('cancels at the next tile and frees everything', async () => {
    const { events, post } = collector();
    const run = new UpscaleRunner(post);
    const f = readFixture();
    run.load('m', f.json, f.weights);
    const before = tf.memory().numTensors;
    const img = syntheticImage(48, 48, 1);
    const p = run.run({
      type: 'upscale',
      jobId: 'c',
      model: 'm',
      scale: 3,
      image: copyImage(img),
      mode: 'upscale',
      tile: 8,
    });
    run.cancel('c');
    await p;
    expect(events.at(-1)).toEqual({ status: 'upscale:cancelled', jobId: 'c' });
    expect(tf.memory().numTensors).toBe(before);
    run.dispose();
  });

  it('evaluate mode: scores ours and bicubic on the HR image; gray stays gray; alpha kept', async () => {
    const { events, post } = collector();
    const run = new UpscaleRunner(post);
    const f = readFixture();
    run.load('m', f.json, f.weights.slice(0));
    // 37 × 38: evaluate mode modcrops the HR to 36 × 36 first.
    const photo = syntheticImage(37, 38, 5);
    await run.run({
      type: 'upscale',
      jobId: 'e',
      model: 'm',
      scale: 3,
      image: copyImage(photo),
      mode: 'evaluate',
    });
    const d = events.at(-1) as Extract<StudioEvent, { status: 'upscale:done' }>;
    expect(d.status).toBe('upscale:done');
    expect([d.result.width, d.result.height, d.hr!.width, d.hr!.height]).toEqual([36, 36, 36, 36]);
    // The same evaluation done by hand: HR = modcrop, LR = MATLAB-bicubic downscale, then the
    // model's SR and the bicubic enlargement, each scored against the HR (Y, crop 3).
    const hr = modcrop(photo, 3);
    const lr = downscaleBicubic(hr, 3);
    const ref = loadModel(readFixture());
    const sr = await upscaleImage(ref.net, lr);
    ref.net.dispose();
    const wantOurs = srScore(hr, sr, 3);
    const wantBicubic = srScore(hr, upscaleBicubic(lr, 3), 3);
    expect(d.scores!.ours.psnr).toBeCloseTo(wantOurs.psnr, 6);
    expect(d.scores!.ours.ssim).toBeCloseTo(wantOurs.ssim, 6);
    expect(d.scores!.bicubic.psnr).toBeCloseTo(wantBicubic.psnr, 6);
    expect(d.scores!.bicubic.ssim).toBeCloseTo(wantBicubic.ssim, 6);
    // The model is not bicubic, so the two rows differ.
    expect(Math.abs(wantOurs.psnr - wantBicubic.psnr)).toBeGreaterThan(0.01);

    // The "bicubic" model scores the bicubic enlargement in both rows.
    await run.run({
      type: 'upscale',
      jobId: 'b',
      model: 'bicubic',
      scale: 3,
      image: copyImage(photo),
      mode: 'evaluate',
    });
    const b = events.at(-1) as Extract<StudioEvent, { status: 'upscale:done' }>;
    expect(b.scores!.ours.psnr).toBeCloseTo(wantBicubic.psnr, 6);
    expect(b.scores!.bicubic.psnr).toBeCloseTo(wantBicubic.psnr, 6);

    const rgba = {
      width: 10,
      height: 8,
      channels: 4 as const,
      data: new Uint8Array(320).map((_, i) => (i * 37) % 256),
    };
    await run.run({
      type: 'upscale',
      jobId: 'a',
      model: 'm',
      scale: 3,
      image: rgba,
      mode: 'upscale',
    });
    const a = events.at(-2) as Extract<StudioEvent, { status: 'upscale:done' }>;
    const aBic = events.at(-1) as Extract<StudioEvent, { status: 'upscale:bicubic' }>;
    expect(a.result.channels).toBe(4);
    expect(aBic.bicubic.channels).toBe(4);
    const out = new Uint8Array(a.result.data);
    const bicA = new Uint8Array(aBic.bicubic.data);
    for (let i = 0; i < 30 * 24; i++) expect(out[4 * i + 3]).toBe(bicA[4 * i + 3]);
    const gray = {
      width: 9,
      height: 9,
      channels: 1 as const,
      data: new Uint8Array(81).fill(100),
    };
    await run.run({
      type: 'upscale',
      jobId: 'g',
      model: 'm',
      scale: 3,
      image: gray,
      mode: 'upscale',
    });
    expect(
      (events.at(-2) as Extract<StudioEvent, { status: 'upscale:done' }>).result.channels,
    ).toBe(1);
    expect(
      (events.at(-1) as Extract<StudioEvent, { status: 'upscale:bicubic' }>).bicubic.channels,
    ).toBe(1);
    run.dispose();
  });

  it('refuses outputs above the limit with the limit in the message, and unknown models', async () => {
    expect(outputLimitMessage(1024, 1024, 3)).toBeNull();
    expect(outputLimitMessage(2000, 2000, 3)).toBeNull(); // 36 MP
    expect(outputLimitMessage(4000, 3000, 2)).toBeNull(); // a 12 MP photo at x2: 48 MP
    expect(outputLimitMessage(2500, 2500, 3)).toMatch(/limit of 50 MP/);
    const { events, post } = collector();
    const run = new UpscaleRunner(post);
    await run.run({
      type: 'upscale',
      jobId: 'x',
      model: 'nope',
      scale: 3,
      image: copyImage(syntheticImage(4, 4, 1)),
      mode: 'upscale',
    });
    expect(events.at(-1)).toMatchObject({
      status: 'error',
      jobId: 'x',
      message: expect.stringMatching(/not loaded/),
    });
  });
});

describe('TrainRunner', () => {
  it('trains a tiny network, posts loss/val/checkpoint, exports a loadable model, no leaks', async () => {
    const { events, post } = collector();
    const models: string[] = [];
    const up = new UpscaleRunner(() => {});
    const before = tf.memory().numTensors;
    const g = validateGenotypeJSON(
      JSON.parse(readFileSync(path.join(root, 'models/genotypes/hand-x3.json'), 'utf8')),
    );
    if (!g.ok) throw new Error(g.message);
    const runner = new TrainRunner(
      post,
      () => new Promise((r) => setTimeout(r, 0)),
      () => 'wasm',
      (id, net) => {
        models.push(id);
        up.addNetwork(id, net);
      },
    );
    const images = [1, 2, 3].map((s) => ({
      name: `i${s}`,
      image: copyImage(syntheticImage(60, 60, s)),
    }));
    await runner.start({
      type: 'train:start',
      trainId: 't',
      name: 'tiny',
      genotype: g.value as GenotypeJSON,
      settings: {
        scale: 3,
        cells: 1,
        channels: 4,
        groups: 1,
        valImages: 1,
        config: { ...DEFAULT_TRAIN_CONFIG, epochs: 2, stepsPerEpoch: 2, batch: 1, patch: 8 },
      },
      images,
    });
    for (let i = 0; i < 600 && !events.some((e) => e.status === 'train:done'); i++)
      await new Promise((r) => setTimeout(r, 20));
    const kinds = events.map((e) => e.status);
    expect(kinds).toContain('train:progress');
    expect(kinds.filter((k) => k === 'train:val')).toHaveLength(2);
    expect(kinds.filter((k) => k === 'train:checkpoint')).toHaveLength(2);
    const m = events.find((e) => e.status === 'train:model') as Extract<
      StudioEvent,
      { status: 'train:model' }
    >;
    expect(m.json.training?.epochsDone).toBe(2);
    // The exported files load like a CLI model and give the same output as the registered copy.
    const loaded = loadModel({ json: JSON.parse(JSON.stringify(m.json)), weights: m.weights });
    const img = syntheticImage(12, 12, 9);
    const a = await upscaleImage(loaded.net, img);
    const { events: ev2, post: post2 } = collector();
    const up2 = new UpscaleRunner(post2);
    up2.addNetwork('x', (up as unknown as { models: Map<string, never> }).models.get(models[0])!);
    await up2.run({
      type: 'upscale',
      jobId: 'u',
      model: 'x',
      scale: 3,
      image: copyImage(img),
      mode: 'upscale',
    });
    const b = (
      ev2.find((e) => e.status === 'upscale:done') as Extract<
        StudioEvent,
        { status: 'upscale:done' }
      >
    ).result;
    expect(Buffer.from(b.data)).toEqual(Buffer.from(a.data));
    loaded.net.dispose();
    up2.dispose();
    await runner.stop('t', false);
    expect(tf.memory().numTensors).toBe(before);
  }, 120_000);
});
