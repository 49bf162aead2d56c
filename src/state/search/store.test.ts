import { describe, expect, it } from 'vitest';
import { applyEvent, initialState, newRun, type AppState } from './store';
import { BROWSER_DEFAULT_CONFIG } from './configSpec';
import type { SearchSnapshot } from '../../core/search/types';
import type { WorkerEvent } from '../../worker/protocol';

const snap = (step: number, mu = 0.8): SearchSnapshot =>
  ({
    step,
    epoch: 0,
    wLoss: 1 / step,
    valLoss: NaN,
    derivedParams: 1000 + step,
    genotype: { normal: [], normal_concat: [2, 3, 4, 5] },
    alpha: [],
    gates: [],
    ede: { t: 0.1, k: 10 },
    settings: { mu, rho: 0.2, lambda: 1.5, gamma: 0.8, nu: 0.5, l1Target: 'softmax' },
    backend: 'webgpu',
  }) as unknown as SearchSnapshot;

function run(events: WorkerEvent[], from: Partial<AppState> = {}): AppState {
  let s: AppState = {
    ...initialState,
    runId: 'r',
    status: 'starting',
    current: newRun('r', BROWSER_DEFAULT_CONFIG),
    ...from,
  };
  s = { ...s, runs: [s.current!] };
  for (const e of events) s = { ...s, ...applyEvent(s, e) };
  return s;
}

describe('store reducer', () => {
  it('follows a run: started → progress → paused → done, mirrored into the runs list', () => {
    const s = run([
      { status: 'search:started', runId: 'r', totalSteps: 10, backend: 'webgpu' },
      { status: 'search:progress', runId: 'r', snapshot: snap(1), totalSteps: 10, skipped: 0 },
      { status: 'search:progress', runId: 'r', snapshot: snap(3, 0.3), totalSteps: 10, skipped: 1 },
      { status: 'search:paused', runId: 'r', step: 3 },
    ]);
    expect(s.status).toBe('paused');
    expect(s.latest?.step).toBe(3);
    expect(s.history.recent.map((x) => x.step)).toEqual([1, 3]);
    expect(s.runs).toHaveLength(1);
    expect(s.runs[0]).toMatchObject({ status: 'paused', step: 3, backend: 'webgpu' });
    expect(s.runs[0].last?.settings.mu).toBe(0.3);
    const done = run([{ status: 'search:done', runId: 'r', snapshot: snap(10), seconds: 12.5 }], {
      ...s,
      status: 'running',
    });
    expect(done.status).toBe('done');
    expect(done.runs[0]).toMatchObject({ status: 'done', step: 10, seconds: 12.5 });
  });

  it("drops events of a run that is no longer the page's (reset while in flight)", () => {
    const s = run([
      { status: 'search:progress', runId: 'old', snapshot: snap(5), totalSteps: 10, skipped: 0 },
    ]);
    expect(s.latest).toBeNull();
    expect(s.history.recent).toEqual([]);
  });

  it('marks a worker crash so the page can offer a restart', () => {
    const s = run([
      { status: 'search:started', runId: 'r', totalSteps: 10, backend: 'webgpu' },
      { status: 'error', code: 'WORKER_CRASHED', message: 'boom' },
    ]);
    expect(s.crash).toBe('boom');
    expect(s.status).toBe('crashed');
    expect(s.runs[0].status).toBe('crashed');
    expect(s.log.at(-1)).toMatchObject({ level: 'error', text: 'WORKER_CRASHED: boom' });
  });
});
