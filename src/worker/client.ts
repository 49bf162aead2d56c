import type { WorkerCommand, WorkerEvent } from './protocol';

export interface WorkerHandle {
  send: (cmd: WorkerCommand) => void;
  terminate: () => void;
}

/** Starts the compute worker; the listener receives every status-tagged event. */
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
  worker.onmessage = (ev: MessageEvent<WorkerEvent>) => onEvent(ev.data);
  worker.onerror = (ev) =>
    onEvent({
      status: 'error',
      code: 'WORKER_CRASHED',
      message: ev.message || 'The worker stopped unexpectedly',
    });
  return { send: (cmd) => worker.postMessage(cmd), terminate: () => worker.terminate() };
}
