import type { WorkerCommand, WorkerEvent } from './protocol';
import { transferables } from './protocol';

export interface WorkerHandle {
  send: (cmd: WorkerCommand) => void;
  terminate: () => void;
}

/**
 * Starts the compute worker; the listener receives every status-tagged event. A crash (an
 * uncaught error or a failed load) arrives as an `error` event with code WORKER_CRASHED, so the
 * page can tell the user and offer a restart.
 */
export function startWorker(onEvent: (e: WorkerEvent) => void): WorkerHandle {
  let worker: Worker;
  try {
    worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
  } catch (e) {
    onEvent({
      status: 'error',
      code: 'WORKER_FAILED',
      message: `Could not start the worker: ${String(e)}`,
    });
    return { send: () => {}, terminate: () => {} };
  }
  let dead = false;
  worker.onmessage = (ev: MessageEvent<WorkerEvent>) => onEvent(ev.data);
  worker.onmessageerror = () =>
    onEvent({ status: 'log', text: 'a message from the worker could not be decoded' });
  worker.onerror = (ev) => {
    ev.preventDefault();
    dead = true;
    // Treat any uncaught worker error as fatal: stop it so a half-broken loop cannot go on
    // posting; the page offers a restart with a fresh worker.
    worker.terminate();
    onEvent({
      status: 'error',
      code: 'WORKER_CRASHED',
      message: ev.message || 'The worker stopped unexpectedly',
    });
  };
  return {
    send: (cmd) => {
      if (!dead) worker.postMessage(cmd, transferables(cmd));
    },
    terminate: () => worker.terminate(),
  };
}
