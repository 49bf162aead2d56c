import { describe, expect, it } from 'vitest';
import type { StudioEvent } from '../../worker/studioProtocol';
import { applyStudioEvent, initialStudioState, type StudioState } from './studioStore';

const run = (s: StudioState, events: StudioEvent[]) =>
  events.reduce((acc, e) => ({ ...acc, ...applyStudioEvent(acc, e) }), s);

const withTrain: StudioState = {
  ...initialStudioState,
  train: {
    trainId: 't',
    status: 'starting',
    step: 0,
    totalSteps: 0,
    loss: [],
    val: [],
    valBicubic: null,
  },
};

/** A model's info as the worker reports it (only the id matters to these tests). */
const info = (id: string) =>
  ({ id, name: id, architecture: { arch: 'espcn', scale: 2, channels: 8 }, counts: {} }) as never;

describe('applyStudioEvent', () => {
  it('selects each model as it loads, but a late bundled one does not replace the user’s', () => {
    const s = run(initialStudioState, [
      { status: 'model:loaded', id: 'bundled:x2', info: info('bundled:x2') },
      { status: 'model:loaded', id: 'bundled:x3', info: info('bundled:x3') },
    ]);
    expect(s.selected).toBe('bundled:x3');
    const mine = run(s, [
      { status: 'model:loaded', id: 'file:mine', info: info('file:mine') },
      { status: 'model:loaded', id: 'bundled:x4', info: info('bundled:x4') },
    ]);
    expect(mine.selected).toBe('file:mine');
    expect(mine.models.map((m) => m.id)).toContain('bundled:x4');
  });

  it('records a model’s warm-up time on that model only', () => {
    const s = run(initialStudioState, [
      { status: 'model:loaded', id: 'a', info: info('a') },
      { status: 'model:loaded', id: 'b', info: info('b') },
      { status: 'model:warm', id: 'b', seconds: 1.5 },
    ]);
    expect(s.models.map((m) => [m.id, m.warmSeconds])).toEqual([
      ['a', undefined],
      ['b', 1.5],
    ]);
  });

  it('follows a training run: started with restored curves, progress, pause, val, done', () => {
    const s = run(withTrain, [
      {
        status: 'train:started',
        trainId: 't',
        totalSteps: 6,
        step: 2,
        valBicubic: 30,
        losses: [0.5, 0.4],
        valPsnr: [29],
      },
      { status: 'train:progress', trainId: 't', step: 3, epoch: 1, loss: 0.3 },
      { status: 'train:paused', trainId: 't', step: 3 },
    ]);
    expect(s.train).toMatchObject({ status: 'paused', step: 3, totalSteps: 6, valBicubic: 30 });
    expect(s.train!.loss).toEqual([
      [1, 0.5],
      [2, 0.4],
      [3, 0.3],
    ]);
    expect(s.train!.val).toEqual([[1, 29]]);
    const s2 = run(s, [
      { status: 'train:progress', trainId: 't', step: 4, epoch: 1, loss: 0.2 },
      { status: 'train:val', trainId: 't', epoch: 2, psnr: 30.5, bicubic: 30 },
      { status: 'train:done', trainId: 't', step: 6, stopped: false },
    ]);
    expect(s2.train).toMatchObject({
      status: 'done',
      step: 6,
      val: [
        [1, 29],
        [2, 30.5],
      ],
    });
  });

  it('ignores events of another run and routes errors to the job, the run or the model', () => {
    const other = run(withTrain, [
      { status: 'train:progress', trainId: 'old', step: 9, epoch: 0, loss: 1 },
    ]);
    expect(other.train).toEqual(withTrain.train);
    const job = {
      id: 'j',
      name: 'a.png',
      mode: 'upscale' as const,
      model: 'bicubic',
      scale: 3,
      input: { width: 1, height: 1, channels: 3 as const, data: new Uint8Array(3) },
      notes: [],
      status: 'queued' as const,
      done: 0,
      total: 0,
    };
    const s = run({ ...withTrain, jobs: [job], backend: { state: 'ready', name: 'wasm' } }, [
      { status: 'error', jobId: 'j', message: 'bad job' },
      { status: 'error', trainId: 't', message: 'bad run' },
      { status: 'error', message: 'bad model' },
    ]);
    expect(s.jobs[0]).toMatchObject({ status: 'error', message: 'bad job' });
    expect(s.train).toMatchObject({ status: 'error', message: 'bad run' });
    expect(s.modelError).toBe('bad model');
  });

  it('an upscale is done with its result, and its bicubic comparison follows', () => {
    const img = (v: number) => ({
      width: 2,
      height: 1,
      channels: 3 as const,
      data: new Uint8Array(6).fill(v),
    });
    const job = {
      id: 'j',
      name: 'a.png',
      mode: 'upscale' as const,
      model: 'x2',
      scale: 2,
      input: img(0),
      notes: [],
      status: 'running' as const,
      done: 1,
      total: 2,
    };
    const afterDone = run({ ...initialStudioState, jobs: [job] }, [
      { status: 'upscale:done', jobId: 'j', result: img(7), seconds: 1.5 },
    ]);
    expect(afterDone.jobs[0]).toMatchObject({ status: 'done', result: img(7), seconds: 1.5 });
    expect(afterDone.jobs[0].bicubic).toBeUndefined();
    const s = run(afterDone, [{ status: 'upscale:bicubic', jobId: 'j', bicubic: img(9) }]);
    expect(s.jobs[0]).toMatchObject({ status: 'done', result: img(7), bicubic: img(9) });
  });

  it('a late progress event does not revive a cancelled, failed or finished job', () => {
    const base = {
      name: 'a.png',
      mode: 'upscale' as const,
      model: 'x2',
      scale: 2,
      input: { width: 1, height: 1, channels: 3 as const, data: new Uint8Array(3) },
      notes: [],
      done: 3,
      total: 9,
    };
    const jobs = [
      { ...base, id: 'c', status: 'cancelled' as const },
      { ...base, id: 'e', status: 'error' as const },
      { ...base, id: 'q', status: 'queued' as const },
    ];
    const s = run({ ...initialStudioState, jobs }, [
      { status: 'upscale:progress', jobId: 'c', done: 4, total: 9 },
      { status: 'upscale:progress', jobId: 'e', done: 4, total: 9 },
      { status: 'upscale:progress', jobId: 'q', done: 1, total: 9 },
    ]);
    expect(s.jobs.map((j) => [j.status, j.done])).toEqual([
      ['cancelled', 3],
      ['error', 3],
      ['running', 1],
    ]);
  });
});

describe('applyStudioEvent: the worker crashed', () => {
  const job = (id: string, status: 'queued' | 'running' | 'done') => ({
    id,
    name: `${id}.png`,
    mode: 'upscale' as const,
    model: 'bicubic',
    scale: 3,
    input: { width: 1, height: 1, channels: 3 as const, data: new Uint8Array(3) },
    notes: [],
    status,
    done: 0,
    total: 0,
  });
  const crash = { status: 'error', code: 'WORKER_CRASHED', message: 'boom' } as const;

  it('marks queued and running upscales and a live run as interrupted, not finished ones', () => {
    const s = run(
      {
        ...withTrain,
        backend: { state: 'ready', name: 'wasm' },
        jobs: [job('q', 'queued'), job('r', 'running'), job('d', 'done')],
        train: { ...withTrain.train!, status: 'running', step: 3 },
      },
      [crash],
    );
    expect(s.crash).toBe('boom');
    expect(s.backend).toMatchObject({ state: 'error' });
    expect(s.jobs.map((j) => [j.id, j.status, !!j.interrupted])).toEqual([
      ['q', 'error', true],
      ['r', 'error', true],
      ['d', 'done', false],
    ]);
    expect(s.train).toMatchObject({ status: 'error', interrupted: 'running' });
    expect(s.train!.message).toContain('interrupted at step 3');
  });

  it('a paused run that stepped in the worker is interrupted as paused; one only restored from IndexedDB is not touched', () => {
    const stepped = run(
      { ...withTrain, train: { ...withTrain.train!, status: 'paused', loss: [[1, 0.5]] } },
      [crash],
    );
    expect(stepped.train).toMatchObject({ status: 'error', interrupted: 'paused' });
    const restored = { ...withTrain.train!, status: 'paused' as const, message: 'restored' };
    const s = run({ ...withTrain, train: restored }, [crash]);
    expect(s.train).toEqual(restored);
  });
});
