import type { BackendAttempt } from '../core/backend';

/** Commands the page sends to the worker. */
export type WorkerCommand = { type: 'init'; backends?: string[] };

/** Status-tagged events the worker sends back. */
export type WorkerEvent =
  | { status: 'ready'; backend: string; skipped: BackendAttempt[]; tfVersion: string }
  | { status: 'error'; code: string; message: string };
