import { transferables, type WorkerCommand, type WorkerEvent } from './protocol';
import { studioTransferables, type StudioCommand, type StudioEvent } from './studioProtocol';

/**
 * The page's side of a worker, one generic typed client for both workers (search and studio):
 * commands go in with their transferable buffers, status-tagged events come out. A crash (an
 * uncaught error in the worker, or a failed load) arrives as an `error` event with code
 * WORKER_CRASHED, a worker that cannot start as WORKER_FAILED, so the page can tell the user
 * and offer a restart.
 */

/** What the client reports by itself when the worker is gone. */
export interface WorkerFailure {
  status: 'error';
  code: 'WORKER_FAILED' | 'WORKER_CRASHED';
  message: string;
}

/** The part of `Worker` the client uses (a fake stands in for it in unit tests). */
export interface WorkerLike {
  postMessage(message: unknown, transfer: Transferable[]): void;
  terminate(): void;
  onmessage: ((ev: MessageEvent) => void) | null;
  onmessageerror: ((ev: MessageEvent) => void) | null;
  onerror: ((ev: ErrorEvent) => void) | null;
}

export interface WorkerSpec<C, E> {
  /** Shown in messages ("the studio worker stopped"). */
  name: string;
  create: () => WorkerLike;
  /** Buffers to hand over with a command (zero-copy). */
  transferables: (cmd: C) => Transferable[];
  /** The event to report for a message that could not be decoded. */
  undecodable: () => E;
}

export interface WorkerHandle<C> {
  send: (cmd: C) => void;
  terminate: () => void;
  /** True once the worker crashed or could not start (sends are then dropped). */
  readonly dead: boolean;
}

export function startWorker<C, E>(
  spec: WorkerSpec<C, E>,
  onEvent: (e: E | WorkerFailure) => void,
): WorkerHandle<C> {
  let worker: WorkerLike;
  try {
    worker = spec.create();
  } catch (e) {
    onEvent({
      status: 'error',
      code: 'WORKER_FAILED',
      message: `Could not start the ${spec.name}: ${String(e)}`,
    });
    return { send: () => {}, terminate: () => {}, dead: true };
  }
  let dead = false;
  worker.onmessage = (ev: MessageEvent) => {
    if (!dead) onEvent(ev.data as E);
  };
  worker.onmessageerror = () => onEvent(spec.undecodable());
  worker.onerror = (ev) => {
    ev.preventDefault();
    if (dead) return;
    dead = true;
    // Treat any uncaught worker error as fatal: stop it so a half-broken loop cannot go on
    // posting; the page offers a restart with a fresh worker.
    worker.terminate();
    onEvent({
      status: 'error',
      code: 'WORKER_CRASHED',
      message: ev.message || `The ${spec.name} stopped unexpectedly`,
    });
  };
  return {
    send: (cmd) => {
      if (!dead) worker.postMessage(cmd, spec.transferables(cmd));
    },
    terminate: () => {
      dead = true;
      worker.terminate();
    },
    get dead() {
      return dead;
    },
  };
}

/** The search worker (worker.ts). */
export const searchWorker: WorkerSpec<WorkerCommand, WorkerEvent> = {
  name: 'compute worker',
  create: () =>
    new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' }) as WorkerLike,
  transferables,
  undecodable: () => ({ status: 'log', text: 'a message from the worker could not be decoded' }),
};

/** The studio worker (studioWorker.ts): upscaling and in-page training. */
export const studioWorker: WorkerSpec<StudioCommand, StudioEvent> = {
  name: 'studio worker',
  create: () =>
    new Worker(new URL('./studioWorker.ts', import.meta.url), { type: 'module' }) as WorkerLike,
  transferables: studioTransferables,
  undecodable: () => ({
    status: 'error',
    message: 'a message from the studio worker could not be decoded',
  }),
};
