import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { GenotypeJSON } from '../../core/search/genotype';
import type { StudioCommand, StudioEvent, StudioTrainSettings } from '../../worker/studioProtocol';

/** Fake studio workers (the generic client is tested on its own in worker/client.test.ts). */
const { workers, db } = vi.hoisted(() => ({
  workers: [] as {
    sent: StudioCommand[];
    dead: boolean;
    emit: (e: StudioEvent) => void;
    send: (c: StudioCommand) => void;
    terminate: () => void;
  }[],
  db: {
    put: (_store: string, _v: { id: string }): Promise<void> => Promise.resolve(),
    get: (_store: string, _id: string): Promise<unknown> => Promise.resolve(undefined),
    all: (_store: string): Promise<unknown[]> => Promise.resolve([]),
    del: (_store: string, _id: string): Promise<void> => Promise.resolve(),
  },
}));

vi.mock('../../worker/client', () => ({
  studioWorker: { name: 'studio worker' },
  startWorker: (_spec: unknown, onEvent: (e: StudioEvent) => void) => {
    const w = {
      sent: [] as StudioCommand[],
      dead: false,
      emit: onEvent,
      send(c: StudioCommand) {
        this.sent.push(c);
      },
      terminate() {
        this.dead = true;
      },
    };
    workers.push(w);
    return w;
  },
}));

vi.mock('./studioDb', () => ({
  dbPut: (s: string, v: { id: string }) => db.put(s, v),
  dbGet: (s: string, id: string) => db.get(s, id),
  dbAll: (s: string) => db.all(s),
  dbDelete: (s: string, id: string) => db.del(s, id),
}));

const { bootStudio, queryMemory, queueUpscales, restartStudio, startTraining } =
  await import('./studioController');
const { getStudio, initialStudioState, setStudio } = await import('./studioStore');

const genotype = { format: 'srbnas-genotype', scale: 3 } as unknown as GenotypeJSON;
const settings: StudioTrainSettings = {
  scale: 3,
  cells: 1,
  channels: 4,
  groups: 1,
  valImages: 1,
  config: {
    epochs: 2,
    stepsPerEpoch: 2,
    batch: 1,
    patch: 8,
    lr: 1e-3,
    seed: 1,
    tMin: 0.1,
    tMax: 10,
  },
};
const image = { width: 4, height: 4, channels: 3 as const, data: new Uint8Array(48) };
const tick = () => new Promise((r) => setTimeout(r, 0));
const last = () => workers[workers.length - 1];

beforeEach(() => {
  workers.length = 0;
  setStudio(initialStudioState);
  db.put = () => Promise.resolve();
  db.get = () => Promise.resolve(undefined);
  db.all = () => Promise.resolve([]);
  db.del = () => Promise.resolve();
  vi.stubGlobal('fetch', () => Promise.reject(new Error('no network in unit tests')));
  vi.spyOn(console, 'warn').mockImplementation(() => {});
});

describe('studio controller', () => {
  it('reports a checkpoint or model that IndexedDB refused, instead of swallowing it', async () => {
    db.put = () => Promise.reject(new Error('QuotaExceededError'));
    bootStudio(async () => []);
    await startTraining('net', genotype, settings);
    const w = last();
    expect(w.sent.map((c) => c.type)).toEqual(['init', 'train:start']);
    w.emit({
      status: 'train:checkpoint',
      trainId: getStudio().train!.trainId,
      step: 2,
      bytes: new ArrayBuffer(8),
    });
    await tick();
    expect(getStudio().warnings).toEqual([
      'could not save the training checkpoint of step 2 in this browser: QuotaExceededError',
    ]);
    w.emit({
      status: 'train:model',
      trainId: getStudio().train!.trainId,
      modelId: 'trained:x:2',
      json: { name: 'net' } as never,
      weights: new ArrayBuffer(4),
    });
    await tick();
    expect(getStudio().warnings[0]).toBe(
      'could not save the trained model net in this browser: QuotaExceededError',
    );
  });

  it('reports saved models that cannot be read at boot', async () => {
    db.all = () => Promise.reject(new Error('IndexedDB is not available'));
    bootStudio(async () => []);
    await tick();
    expect(getStudio().warnings).toEqual(['saved models unavailable: IndexedDB is not available']);
  });

  it('after a crash, a restart reloads every model, requeues lost upscales and continues training from its checkpoint', async () => {
    const saved: Record<string, unknown> = {};
    db.put = (_s, v) => {
      saved[v.id] = v;
      return Promise.resolve();
    };
    db.get = (_s, id) => Promise.resolve(saved[id]);
    db.all = () =>
      Promise.resolve([
        { id: 'own:m', json: { name: 'm' }, weights: new Uint8Array([1, 2]).buffer },
      ]);
    bootStudio(async () => []);
    await tick();
    const w1 = last();
    const [job] = queueUpscales([{ name: 'a.png', image, notes: [] }]);
    await startTraining('net', genotype, settings);
    const trainId = getStudio().train!.trainId;
    w1.emit({
      status: 'train:started',
      trainId,
      totalSteps: 4,
      step: 0,
      valBicubic: 30,
      losses: [],
      valPsnr: [],
    });
    w1.emit({ status: 'train:progress', trainId, step: 2, epoch: 0, loss: 0.5 });
    w1.emit({
      status: 'train:checkpoint',
      trainId,
      step: 2,
      bytes: new Uint8Array([7, 7, 7]).buffer,
    });
    await tick();
    expect(w1.sent.map((c) => c.type)).toEqual(['init', 'model:load', 'upscale', 'train:start']);

    const memory = queryMemory(); // asked, never answered: the crash must not leave it hanging
    // What the generic client reports when the worker throws an uncaught error.
    w1.dead = true;
    w1.emit({ status: 'error', code: 'WORKER_CRASHED', message: 'boom' });
    let s = getStudio();
    expect(s.crash).toBe('boom');
    expect(s.backend.state).toBe('error');
    expect(s.jobs[0]).toMatchObject({ id: job, status: 'error', interrupted: true });
    expect(s.train).toMatchObject({ status: 'error', interrupted: 'running', step: 2 });
    await expect(memory).rejects.toThrow('the studio worker stopped: boom');
    await expect(queryMemory()).rejects.toThrow('restart it first');
    // Dropped while crashed: kept for the restart, not silently lost.
    const [job2] = queueUpscales([{ name: 'b.png', image, notes: [] }]);
    expect(getStudio().jobs.find((j) => j.id === job2)).toMatchObject({ interrupted: true });

    await restartStudio();
    const w2 = last();
    expect(w2).not.toBe(w1);
    s = getStudio();
    expect(s.crash).toBeNull();
    expect(s.backend.state).toBe('starting');
    const upscales = w2.sent.filter((c) => c.type === 'upscale').map((c) => c.jobId);
    expect(upscales.sort()).toEqual([job, job2].sort());
    expect(w2.sent.slice(0, 2).map((c) => c.type)).toEqual(['init', 'model:load']);
    expect(w2.sent[1]).toMatchObject({ id: 'own:m' });
    expect(new Uint8Array((w2.sent[1] as { weights: ArrayBuffer }).weights)).toEqual(
      new Uint8Array([1, 2]),
    );
    const start = w2.sent.find((c) => c.type === 'train:start');
    expect(start).toMatchObject({ trainId });
    expect(new Uint8Array(start!.checkpoint!)).toEqual(new Uint8Array([7, 7, 7]));
    expect(s.jobs.every((j) => j.status === 'queued' && !j.interrupted)).toBe(true);
    // The reload does not change which model the user had selected.
    setStudio({ selected: 'bicubic' });
    w2.emit({ status: 'model:loaded', id: 'own:m', info: { id: 'own:m' } as never });
    expect(getStudio().selected).toBe('bicubic');
    expect(getStudio().models.map((m) => m.id)).toEqual(['own:m']);
  });
});
