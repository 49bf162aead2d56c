import { beforeAll, describe, expect, it } from 'vitest';
import { useWasm } from '../nn/testBackend';
import { syntheticImage } from '../model/testUtil';
import { SearchSession, type SearchEngine, type SessionCheckpoint } from './session';
import type { SearchCheckpoint } from './search';
import type { LiveSettings } from './types';
import type { SearchSnapshot } from './types';
import { TINY_SEARCH_CONFIG } from '../testing/tinyRuns';

beforeAll(useWasm);

const CONFIG = TINY_SEARCH_CONFIG;
// Two images a patch fits, and one too small for it (left out, and said so).
const images = [
  { name: 'a', image: syntheticImage(32, 32, 1) },
  { name: 'b', image: syntheticImage(30, 28, 2) },
  { name: 'tiny', image: syntheticImage(8, 8, 3) },
];

const fingerprint = (s: SearchSnapshot) => ({
  step: s.step,
  wLoss: s.wLoss,
  valLoss: s.valLoss,
  alpha: s.alpha,
  settings: s.settings,
});

describe('SearchSession', () => {
  it('restored from its checkpoint (as JSON text), continues bit for bit, live settings included', async () => {
    let now = 0;
    const full = await SearchSession.open(images, CONFIG, {
      checkpointEachEpoch: true,
      now: () => now,
    });
    expect(full.skipped).toEqual(['tiny']);
    expect(full.resumedFrom).toBeNull();
    const steps = [];
    while (!full.done) {
      // A live change between steps 2 and 3, taking effect at step 3.
      if (full.stepCount === 2) expect(full.setLive({ mu: 0.7, rho: 0.1 })).toBe(3);
      now += 1000;
      steps.push(await full.step());
    }
    expect(steps.map((s) => s.snapshot.step)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(steps.map((s) => s.applied ?? null)).toEqual([
      null,
      null,
      { mu: 0.7, rho: 0.1 },
      null,
      null,
      null,
    ]);
    expect(steps[1].snapshot.settings.mu).toBe(CONFIG.mu);
    expect(steps[2].snapshot.settings).toMatchObject({ mu: 0.7, rho: 0.1 });
    // A checkpoint at each epoch end, with the seconds so far.
    expect(steps.map((s) => s.checkpoint?.step ?? null)).toEqual([null, 2, null, 4, null, 6]);
    expect(steps[3].checkpoint!.seconds).toBe(4);

    // Stop at the end of epoch 1 with a live change queued that never reached a step, then
    // continue from the checkpoint of step 2 in a new session (the CLI rereads the file).
    const text = JSON.stringify(steps[1].checkpoint);
    now = 100_000;
    const resumed = await SearchSession.open(
      images,
      { ...CONFIG, seed: 99, epochs: 9 },
      {
        checkpoint: JSON.parse(text) as SessionCheckpoint,
        now: () => now,
      },
    );
    expect(resumed.resumedFrom).toBe(2);
    expect(resumed.config.seed).toBe(5); // the checkpoint's settings win
    expect(resumed.totalSteps).toBe(6);
    const rest = [];
    while (!resumed.done) {
      if (resumed.stepCount === 2) resumed.setLive({ mu: 0.7, rho: 0.1 });
      rest.push((await resumed.step()).snapshot);
    }
    expect(rest.map(fingerprint)).toEqual(steps.slice(2).map((s) => fingerprint(s.snapshot)));
    now = 105_000;
    expect(resumed.elapsedSeconds()).toBe(2 + 5);
    await full.dispose();
    await resumed.dispose();
  });
});

/** An engine that records what the session asks of it (no tensors). */
function fakeEngine() {
  const calls: string[] = [];
  const live: Partial<LiveSettings>[] = [];
  let step = 0;
  const snap = (n: number) => ({ step: n }) as SearchSnapshot;
  const engine: SearchEngine = {
    config: CONFIG,
    get stepCount() {
      return step;
    },
    totalSteps: CONFIG.epochs * CONFIG.stepsPerEpoch,
    get done() {
      return step >= this.totalSteps;
    },
    step: () => {
      calls.push('step');
      return Promise.resolve(snap(++step));
    },
    setLive: (p) => {
      calls.push('setLive');
      live.push(p);
    },
    initialSnapshot: () => Promise.resolve(snap(0)),
    checkpoint: () => Promise.resolve({ step } as SearchCheckpoint),
    dispose: () => {
      calls.push('dispose');
    },
  };
  return { engine, calls, live };
}

describe('SearchSession with another engine', () => {
  it('hands the engine each queued live change once, before the step, and disposes it', async () => {
    const f = fakeEngine();
    const session = await SearchSession.open(images, CONFIG, { engine: async () => f.engine });
    expect((await session.initialSnapshot()).step).toBe(0);
    await session.step();
    session.setLive({ mu: 0.5 });
    session.setLive({ rho: 0.3 });
    expect((await session.step()).applied).toEqual({ mu: 0.5, rho: 0.3 });
    await session.step();
    expect(f.calls).toEqual(['step', 'setLive', 'step', 'step']);
    expect(f.live).toEqual([{ mu: 0.5, rho: 0.3 }]);
    // Without a clock of its own the session counts wall-clock seconds.
    const t = session.elapsedSeconds();
    expect(t).toBeGreaterThanOrEqual(0);
    expect(t).toBeLessThan(60);
    await session.dispose();
    expect(f.calls.at(-1)).toBe('dispose');
  });
});
