import { beforeAll, describe, expect, it } from 'vitest';
import { useWasm } from '../core/nn/testBackend';
import { TINY_SEARCH_CONFIG } from '../core/testing/tinyRuns';
import { Rng } from '../core/rng';
import { SearchRunner } from './searchRunner';
import { createSearch } from './searchFactory';
import type { WorkerEvent } from './protocol';
import { createImage, type NamedImage } from '../core/image/image';

// The runner drives the real core search (WASM in Node) through the same factory the worker uses.
beforeAll(useWasm);

const CONFIG = TINY_SEARCH_CONFIG;

function rgba(name: string, w: number, h: number, seed: number): NamedImage {
  const rng = new Rng(seed);
  const image = createImage(w, h, 4);
  for (let i = 0; i < image.data.length; i++) image.data[i] = i % 4 === 3 ? 255 : rng.int(256);
  return { name, image };
}
const images = () => [rgba('a', 32, 32, 1), rgba('b', 32, 32, 2)];

function harness(minIntervalMs = 0) {
  const events: WorkerEvent[] = [];
  const runner = new SearchRunner((e) => events.push(e), createSearch, {
    minIntervalMs,
    backend: () => 'wasm',
  });
  const until = async (pred: () => boolean, ms = 120_000) => {
    const t0 = Date.now();
    while (!pred()) {
      if (Date.now() - t0 > ms)
        throw new Error('timed out; events: ' + events.map((e) => e.status).join(','));
      await new Promise((r) => setTimeout(r, 5));
    }
  };
  const progress = () => events.filter((e) => e.status === 'search:progress');
  return { events, runner, until, progress };
}

describe('SearchRunner on the real search', () => {
  it('plays to done, posting every step when unthrottled', async () => {
    const h = harness(0);
    await h.runner.start('r1', CONFIG, images());
    await h.until(() => h.events.some((e) => e.status === 'search:done'));
    const steps = h.progress().map((e) => (e.status === 'search:progress' ? e.snapshot.step : -1));
    expect(steps).toEqual([1, 2, 3, 4, 5, 6]);
    expect(h.events[0]).toMatchObject({ status: 'search:started', runId: 'r1', totalSteps: 6 });
    expect(h.runner.status).toBe('done');
    // The step-0 snapshot comes before any step, and its α is the one step 1 started from
    // (step 1 is in the warm-up, so α has not moved).
    const initial = h.events.findIndex((e) => e.status === 'search:initial');
    const firstProgress = h.events.findIndex((e) => e.status === 'search:progress');
    expect(initial).toBeGreaterThan(0);
    expect(initial).toBeLessThan(firstProgress);
    const e0 = h.events[initial];
    const e1 = h.events[firstProgress];
    if (e0.status !== 'search:initial' || e1.status !== 'search:progress') throw new Error();
    expect(e0.snapshot.step).toBe(0);
    expect(e0.snapshot.alpha).toEqual(e1.snapshot.alpha);
  });

  it('pause stops after the step in flight; step advances one; setLive lands at a named step', async () => {
    const h = harness(0);
    await h.runner.start('r2', CONFIG, images());
    await h.until(() => h.progress().length >= 1);
    h.runner.pause('r2');
    await h.until(() => h.events.some((e) => e.status === 'search:paused'));
    const paused = h.events.find((e) => e.status === 'search:paused') as { step: number };
    const lastShown = h.progress().at(-1) as { snapshot: { step: number } };
    expect(lastShown.snapshot.step).toBe(paused.step);
    await new Promise((r) => setTimeout(r, 300));
    expect(h.progress().length).toBe(paused.step); // nothing ran while paused

    h.runner.setLive('r2', { mu: 0.123 });
    expect(h.events.at(-1)).toMatchObject({ status: 'log' });
    expect((h.events.at(-1) as { text: string }).text).toContain(
      `takes effect at step ${paused.step + 1}`,
    );
    await h.runner.stepOnce('r2');
    const snaps = h
      .progress()
      .map((e) => (e as { snapshot: { step: number; settings: { mu: number } } }).snapshot);
    expect(snaps.at(-1)!.step).toBe(paused.step + 1);
    expect(snaps.at(-1)!.settings.mu).toBe(0.123);
    expect(snaps.at(-2)!.settings.mu).toBe(CONFIG.mu);
    const applied = h.events.find((e) => e.status === 'log' && e.text.includes('took effect'));
    expect((applied as { text: string }).text).toBe(
      `setLive μ=0.123 took effect at step ${paused.step + 1}`,
    );
    expect(h.events.at(-2)).toMatchObject({ status: 'search:paused', step: paused.step + 1 });
    expect(h.events.at(-1)).toMatchObject({ status: 'search:checkpoint' });

    // Commands for another run id are ignored; reset frees the search and silences the run.
    h.runner.resume('other');
    await h.runner.reset('r2');
    expect(h.events.at(-1)).toMatchObject({ status: 'search:reset', runId: 'r2' });
    const n = h.events.length;
    h.runner.resume('r2');
    await new Promise((r) => setTimeout(r, 200));
    expect(h.events.length).toBe(n);
  });

  it('checkpoints on pause, and a run started from the checkpoint continues identically', async () => {
    const ref = harness(0);
    await ref.runner.start('ref', CONFIG, images());
    await ref.until(() => ref.events.some((e) => e.status === 'search:done'));
    const refSnaps = ref
      .progress()
      .map((e) => (e as { snapshot: { step: number; wLoss: number; alpha: number[][] } }).snapshot);

    const h = harness(0);
    await h.runner.start('r6', CONFIG, images(), true);
    await h.runner.stepOnce('r6');
    await h.runner.stepOnce('r6');
    await h.runner.stepOnce('r6');
    const cp = h.events.filter((e) => e.status === 'search:checkpoint').at(-1) as {
      checkpoint: import('../core/search/search').SearchCheckpoint;
    };
    expect(cp.checkpoint.step).toBe(3);
    await h.runner.reset('r6');

    const r = harness(0);
    await r.runner.start('r6', CONFIG, images(), false, cp.checkpoint);
    await r.until(() => r.events.some((e) => e.status === 'search:done'));
    const resumed = r
      .progress()
      .map((e) => (e as { snapshot: { step: number; wLoss: number; alpha: number[][] } }).snapshot);
    expect(resumed.map((x) => x.step)).toEqual([4, 5, 6]);
    resumed.forEach((x, i) => {
      expect(x.wLoss).toBe(refSnaps[3 + i].wLoss);
      expect(x.alpha).toEqual(refSnaps[3 + i].alpha);
    });
  });

  it('throttles progress to the latest snapshot, counting the ones it skipped', async () => {
    const h = harness(1e9);
    await h.runner.start('r3', CONFIG, images());
    await h.until(() => h.events.some((e) => e.status === 'search:done'));
    const prog = h.progress() as { snapshot: { step: number }; skipped: number }[];
    // The first step always posts (nothing shown yet), then only the last (forced by done).
    expect(prog.map((p) => p.snapshot.step)).toEqual([1, 6]);
    expect(prog[1].skipped).toBe(4);
  });

  it('reports bad data as an error event instead of throwing', async () => {
    const h = harness(0);
    await h.runner.start('r4', CONFIG, [rgba('only', 32, 32, 1)]);
    expect(h.events.at(-1)).toMatchObject({ status: 'error', code: 'BAD_DATA', runId: 'r4' });
    expect((h.events.at(-1) as { message: string }).message).toMatch(/at least 2/);
    await h.runner.start('r5', CONFIG, [
      { name: 'short', image: { ...rgba('short', 32, 32, 1).image, width: 40 } },
      rgba('b', 32, 32, 2),
    ]);
    expect((h.events.at(-1) as { message: string }).message).toContain('short');
  });
});
