import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { useWasm } from '../core/nn/testBackend';
import { loadModel } from '../core/model/format';
import { lrCropOf, upscaleImage, upscaleTiles, type SrTile } from '../core/model/infer';
import type { SRNetwork } from '../core/model/network';
import { syntheticImage } from '../core/model/testUtil';
import type { StudioEvent } from './studioProtocol';
import { shareOf, type TileHelpers } from './tilePool';
import { UpscaleRunner } from './upscaleRunner';
import { copyImage } from '../core/image/image';

beforeAll(useWasm);

const root = path.resolve(import.meta.dirname, '../..');
const readModel = (dir: string) => {
  const b = readFileSync(path.join(root, dir, 'weights.bin'));
  return {
    json: JSON.parse(readFileSync(path.join(root, dir, 'model.json'), 'utf8')) as unknown,
    weights: b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer,
  };
};

/** inferHelper.ts's work, in this thread: its own copy of each model, tiles of its share. */
class InProcessHelpers implements TileHelpers {
  readonly models = new Map<string, SRNetwork>();
  cancelled = new Set<string>();
  tilesRun = 0;
  constructor(readonly size: number) {}
  load(id: string, json: unknown, weights: ArrayBuffer) {
    this.models.set(id, loadModel({ json, weights: weights.slice(0) }, { engine: 'packed' }).net);
  }
  unload(id: string) {
    this.models.get(id)?.dispose();
    this.models.delete(id);
  }
  cancel(jobId: string) {
    this.cancelled.add(jobId);
  }
  async run(
    jobId: string,
    model: string,
    image: Parameters<TileHelpers['run']>[2],
    tile: Parameters<TileHelpers['run']>[3],
    shares: number[][],
    onTile: (t: SrTile) => void,
  ) {
    const img = image;
    for (const share of shares) {
      const wanted = new Set(share);
      await upscaleTiles(this.models.get(model)!, img.width, img.height, lrCropOf(img), onTile, {
        tile,
        only: (i) => wanted.has(i),
        onTile: () => {
          this.tilesRun++;
          if (this.cancelled.has(jobId)) throw new Error('cancelled');
        },
      }).catch(() => {});
    }
  }
  dispose() {
    for (const n of this.models.values()) n.dispose();
  }
}

describe('tiles shared with helper threads', () => {
  it('shareOf deals every tile to exactly one runner', () => {
    const shares = [0, 1, 2].map((k) => shareOf(10, 3, k));
    expect(shares).toEqual([
      [0, 3, 6, 9],
      [1, 4, 7],
      [2, 5, 8],
    ]);
  });

  for (const [label, size, tile] of [
    ['many tiles', [70, 50], 16],
    ['one tile → full-width bands', [40, 31], 256],
  ] as const) {
    it(`gives the one-thread image bit for bit (${label}), with one progress event per tile`, async () => {
      const events: StudioEvent[] = [];
      const run = new UpscaleRunner((e) => events.push(e));
      const helpers = new InProcessHelpers(1);
      run.pool = helpers;
      const m = readModel('public/models/x2');
      run.load('x2', m.json, m.weights);
      const img = syntheticImage(size[0], size[1], 7);
      await run.run({
        type: 'upscale',
        jobId: 'j',
        model: 'x2',
        scale: 2,
        image: copyImage(img),
        mode: 'upscale',
        tile,
      });
      const done = events.find((e) => e.status === 'upscale:done') as Extract<
        StudioEvent,
        { status: 'upscale:done' }
      >;
      const ref = loadModel(readModel('public/models/x2'));
      const want = await upscaleImage(ref.net, img, { tile: Infinity });
      expect(Buffer.from(done.result.data)).toEqual(Buffer.from(want.data));
      const progress = events.filter((e) => e.status === 'upscale:progress');
      const total = (progress[0] as { total: number }).total;
      expect(total).toBeGreaterThan(1);
      expect(progress.map((e) => (e as { done: number }).done)).toEqual(
        Array.from({ length: total }, (_, i) => i + 1),
      );
      expect(helpers.tilesRun).toBeGreaterThan(0); // the helper did part of the work
      ref.net.dispose();
      helpers.dispose();
      run.dispose();
    });
  }

  it('cancel reaches the helpers and leaves no tensor behind', async () => {
    const events: StudioEvent[] = [];
    const run = new UpscaleRunner((e) => events.push(e));
    const helpers = new InProcessHelpers(1);
    run.pool = helpers;
    const m = readModel('public/models/x2');
    run.load('x2', m.json, m.weights);
    const before = tf.memory().numTensors;
    const p = run.run({
      type: 'upscale',
      jobId: 'c',
      model: 'x2',
      scale: 2,
      image: copyImage(syntheticImage(64, 64, 1)),
      mode: 'upscale',
      tile: 8,
    });
    run.cancel('c');
    await p;
    expect(events.at(-1)).toEqual({ status: 'upscale:cancelled', jobId: 'c' });
    expect(helpers.cancelled.has('c')).toBe(true);
    expect(tf.memory().numTensors).toBe(before);
    helpers.dispose();
    run.dispose();
  });

  it('yields to the event loop after every tile, so a cancel that arrives mid-image stops it', async () => {
    const events: StudioEvent[] = [];
    let yields = 0;
    // The worker's yield is where queued messages run: deliver a cancel at the second one.
    const run: UpscaleRunner = new UpscaleRunner(
      (e) => events.push(e),
      undefined,
      async () => {
        if (++yields === 2) run.cancel('y');
      },
    );
    const m = readModel('public/models/x2');
    run.load('x2', m.json, m.weights);
    await run.run({
      type: 'upscale',
      jobId: 'y',
      model: 'x2',
      scale: 2,
      image: copyImage(syntheticImage(40, 40, 1)),
      mode: 'upscale',
      tile: 8,
    });
    expect(events.at(-1)).toEqual({ status: 'upscale:cancelled', jobId: 'y' });
    expect(events.filter((e) => e.status === 'upscale:progress')).toHaveLength(2);
    run.dispose();
  });

  it('a helper tile that lands after a cancel reports nothing: the job stays cancelled', async () => {
    // The real pool resolves a job when its helpers answer the cancel, but tiles they posted
    // before reading it still arrive later (seen in the page: a cancelled job went back to
    // 'running' and stayed there).
    const events: StudioEvent[] = [];
    let late: ((t: SrTile) => void) | undefined;
    let answerCancel: (() => void) | undefined;
    const helpers: TileHelpers = {
      size: 1,
      load() {},
      unload() {},
      run(_job, _model, _image, _tile, _shares, onTile) {
        late = onTile;
        return new Promise<void>((resolve) => (answerCancel = resolve));
      },
      cancel() {
        answerCancel?.();
      },
    };
    const run: UpscaleRunner = new UpscaleRunner((e) => {
      events.push(e);
      if (e.status === 'upscale:progress') run.cancel('c'); // cancel after the first tile
    });
    run.pool = helpers;
    const m = readModel('public/models/x2');
    run.load('x2', m.json, m.weights);
    await run.run({
      type: 'upscale',
      jobId: 'c',
      model: 'x2',
      scale: 2,
      image: copyImage(syntheticImage(70, 50, 3)),
      mode: 'upscale',
      tile: 16,
    });
    expect(events.at(-1)).toEqual({ status: 'upscale:cancelled', jobId: 'c' });
    const n = events.length;
    late!({ x: 0, y: 0, width: 2, height: 2, data: new Float32Array(12) });
    expect(events.slice(n)).toEqual([]);
    run.dispose();
  });
});
