import { describe, expect, it } from 'vitest';
import { startWorker, type WorkerLike, type WorkerSpec } from './client';

type Cmd = { type: 'go'; buf?: ArrayBuffer };
type Ev = { status: 'ok'; n: number } | { status: 'log'; text: string };

/** A stand-in for a DOM Worker: records what is posted, lets the test fire its handlers. */
class FakeWorker implements WorkerLike {
  posted: { message: unknown; transfer: Transferable[] }[] = [];
  terminated = 0;
  onmessage: ((ev: MessageEvent) => void) | null = null;
  onmessageerror: ((ev: MessageEvent) => void) | null = null;
  onerror: ((ev: ErrorEvent) => void) | null = null;
  postMessage(message: unknown, transfer: Transferable[]) {
    this.posted.push({ message, transfer });
  }
  terminate() {
    this.terminated++;
  }
  emit(data: unknown) {
    this.onmessage?.({ data } as MessageEvent);
  }
  crash(message: string) {
    let prevented = false;
    this.onerror?.({ message, preventDefault: () => (prevented = true) } as unknown as ErrorEvent);
    return prevented;
  }
}

const specFor = (w: FakeWorker | (() => never)): WorkerSpec<Cmd, Ev> => ({
  name: 'test worker',
  create: typeof w === 'function' ? w : () => w,
  transferables: (c) => (c.buf ? [c.buf] : []),
  undecodable: () => ({ status: 'log', text: 'undecodable' }),
});

describe('startWorker (the generic typed client)', () => {
  it('posts commands with their transferables and passes events through in order', () => {
    const w = new FakeWorker();
    const seen: unknown[] = [];
    const h = startWorker(specFor(w), (e) => seen.push(e));
    const buf = new ArrayBuffer(4);
    h.send({ type: 'go', buf });
    h.send({ type: 'go' });
    expect(w.posted).toEqual([
      { message: { type: 'go', buf }, transfer: [buf] },
      { message: { type: 'go' }, transfer: [] },
    ]);
    w.emit({ status: 'ok', n: 1 });
    w.emit({ status: 'ok', n: 2 });
    w.onmessageerror?.({} as MessageEvent);
    expect(seen).toEqual([
      { status: 'ok', n: 1 },
      { status: 'ok', n: 2 },
      { status: 'log', text: 'undecodable' },
    ]);
  });

  it('reports a crash once as WORKER_CRASHED, stops the worker and drops what follows', () => {
    const w = new FakeWorker();
    const seen: unknown[] = [];
    const h = startWorker(specFor(w), (e) => seen.push(e));
    expect(h.dead).toBe(false);
    expect(w.crash('boom')).toBe(true); // the page handles it: no console noise
    expect(seen).toEqual([{ status: 'error', code: 'WORKER_CRASHED', message: 'boom' }]);
    expect(w.terminated).toBe(1);
    expect(h.dead).toBe(true);
    h.send({ type: 'go' });
    w.emit({ status: 'ok', n: 3 });
    w.crash('again');
    expect(w.posted).toEqual([]);
    expect(seen).toHaveLength(1);
  });

  it('names the worker when the crash has no message, and reports a failed start', () => {
    const w = new FakeWorker();
    const seen: unknown[] = [];
    startWorker(specFor(w), (e) => seen.push(e));
    w.crash('');
    const h = startWorker(
      specFor(() => {
        throw new Error('no workers here');
      }),
      (e) => seen.push(e),
    );
    expect(seen).toEqual([
      { status: 'error', code: 'WORKER_CRASHED', message: 'The test worker stopped unexpectedly' },
      {
        status: 'error',
        code: 'WORKER_FAILED',
        message: 'Could not start the test worker: Error: no workers here',
      },
    ]);
    expect(h.dead).toBe(true);
    h.send({ type: 'go' }); // a no-op, not a throw
  });

  it('ignores events of a worker the page terminated (e.g. a backend switch)', () => {
    const w = new FakeWorker();
    const seen: unknown[] = [];
    const h = startWorker(specFor(w), (e) => seen.push(e));
    h.terminate();
    w.emit({ status: 'ok', n: 1 });
    expect(seen).toEqual([]);
    expect(w.terminated).toBe(1);
  });
});
