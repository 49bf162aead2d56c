import { afterEach, describe, expect, it, vi } from 'vitest';
import { WorkerHost, type HostScope, type HostSpec } from './host';

type Cmd =
  | { type: 'init'; fail?: boolean }
  | { type: 'work'; id: number; ms: number; fail?: boolean }
  | { type: 'pause' }
  | { type: 'debug:crash' }
  | { type: 'nope' };
type Ev = { status: string; [k: string]: unknown };

class FakeScope implements HostScope {
  onmessage: ((ev: MessageEvent) => void) | null = null;
  posted: { message: unknown; transfer: Transferable[] }[] = [];
  postMessage(message: unknown, transfer: Transferable[]) {
    this.posted.push({ message, transfer });
  }
  send(cmd: Cmd) {
    this.onmessage!({ data: cmd } as MessageEvent);
  }
  get events() {
    return this.posted.map((p) => p.message as Ev);
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function setup() {
  const scope = new FakeScope();
  const host = new WorkerHost<Cmd, Ev>(scope, (e) => (e.buf instanceof ArrayBuffer ? [e.buf] : []));
  const log: string[] = [];
  const spec: HostSpec<Cmd, Ev> = {
    init: async (cmd) => {
      await sleep(20);
      if (cmd.fail) throw new Error('no backend');
      log.push('init');
      return { status: 'ready' };
    },
    immediate: (cmd) => {
      if (cmd.type !== 'pause') return false;
      log.push('pause');
      host.post({ status: 'paused' });
      return true;
    },
    handle: async (cmd) => {
      if (cmd.type !== 'work') return false;
      log.push(`start ${cmd.id}`);
      await sleep(cmd.ms);
      if (cmd.fail) throw new Error(`work ${cmd.id} failed`);
      log.push(`end ${cmd.id}`);
      host.post({ status: 'done', id: cmd.id });
      return true;
    },
    failed: (cmd, message, kind) => ({ status: 'error', type: cmd.type, kind, message }),
  };
  host.serve(spec);
  return { scope, host, log };
}

afterEach(() => vi.useRealTimers());

describe('WorkerHost', () => {
  it('runs a later task behind the commands that arrive within its delay, and drops its failure', async () => {
    const { scope, host, log } = setup();
    scope.send({ type: 'work', id: 1, ms: 10 });
    host.later(async () => {
      log.push('warm');
    }, 30);
    host.later(async () => {
      throw new Error('optional task failed');
    }, 30);
    scope.send({ type: 'work', id: 2, ms: 0 }); // arrives within the delay: goes first
    await sleep(60);
    scope.send({ type: 'work', id: 3, ms: 0 }); // after the delay: behind the task
    await sleep(10);
    await host.idle();
    expect(log).toEqual(['start 1', 'end 1', 'start 2', 'end 2', 'warm', 'start 3', 'end 3']);
    expect(scope.events.filter((e) => e.status === 'error')).toEqual([]);
  });

  it('runs queued commands one at a time in arrival order, whatever they take', async () => {
    const { scope, host, log } = setup();
    scope.send({ type: 'init' });
    scope.send({ type: 'work', id: 1, ms: 30 });
    scope.send({ type: 'work', id: 2, ms: 0 });
    scope.send({ type: 'work', id: 3, ms: 10 });
    await host.idle();
    expect(log).toEqual(['init', 'start 1', 'end 1', 'start 2', 'end 2', 'start 3', 'end 3']);
    expect(scope.events).toEqual([
      { status: 'ready' },
      { status: 'done', id: 1 },
      { status: 'done', id: 2 },
      { status: 'done', id: 3 },
    ]);
  });

  it('answers immediate commands at once, while a queued one is still running', async () => {
    const { scope, host, log } = setup();
    scope.send({ type: 'work', id: 1, ms: 30 });
    await sleep(5);
    scope.send({ type: 'pause' });
    expect(log).toEqual(['start 1', 'pause']);
    await host.idle();
    expect(log).toEqual(['start 1', 'pause', 'end 1']);
  });

  it('turns a failed init, a throwing command and an unknown one into error events and goes on', async () => {
    const { scope, host, log } = setup();
    scope.send({ type: 'init', fail: true });
    scope.send({ type: 'work', id: 1, ms: 0, fail: true });
    scope.send({ type: 'nope' });
    scope.send({ type: 'work', id: 2, ms: 0 });
    await host.idle();
    expect(scope.events).toEqual([
      { status: 'error', type: 'init', kind: 'init', message: 'no backend' },
      { status: 'error', type: 'work', kind: 'command', message: 'work 1 failed' },
      { status: 'error', type: 'nope', kind: 'unknown', message: 'unknown command "nope"' },
      { status: 'done', id: 2 },
    ]);
    expect(log).toEqual(['start 1', 'start 2', 'end 2']);
  });

  it('hands over the buffers of an event', () => {
    const { scope, host } = setup();
    const buf = new ArrayBuffer(8);
    host.post({ status: 'bytes', buf });
    expect(scope.posted[0].transfer).toEqual([buf]);
  });

  it('throws an uncaught error for debug:crash (the page test hook), outside the queue', () => {
    vi.useFakeTimers();
    const { scope } = setup();
    scope.send({ type: 'debug:crash' });
    expect(() => vi.runAllTimers()).toThrow('crash requested by the page (debug:crash)');
  });

  it('yields to the event loop and resumes the waiters in order', async () => {
    const { host } = setup();
    const order: string[] = [];
    const a = host.yieldToEvents().then(() => order.push('a'));
    const b = host.yieldToEvents().then(() => order.push('b'));
    await Promise.all([a, b]);
    expect(order).toEqual(['a', 'b']);
  });
});
