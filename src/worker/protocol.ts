import type { BackendAttempt } from '../core/backend';
import type { LiveSettings, SearchConfig, SearchSnapshot } from '../core/search/types';
import type { SearchCheckpoint } from '../core/search/search';
import { imageBuffers, type NamedImage } from '../core/image/image';

/**
 * The page ↔ worker protocol. Commands go in; every event out carries a `status` tag. Search
 * commands and events carry the `runId` the page chose, so events still in flight from a run
 * the user has reset are recognised and dropped.
 */

export type WorkerCommand =
  | { type: 'init'; backends?: string[] }
  | {
      type: 'search:start';
      runId: string;
      config: SearchConfig;
      /** The training images (core images; their buffers are transferred, not copied). */
      images: NamedImage[];
      /** Start paused (the Step button on an idle page): build the supernet, take no step. */
      paused?: boolean;
      /** Continue a saved run (same images, config and seed) from this checkpoint. */
      checkpoint?: SearchCheckpoint;
    }
  | { type: 'search:pause'; runId: string }
  | { type: 'search:resume'; runId: string }
  | { type: 'search:step'; runId: string }
  | { type: 'search:reset'; runId: string }
  | { type: 'search:setLive'; runId: string; partial: Partial<LiveSettings> }
  /** Test hook: throw an uncaught error in the worker (exercises the page's crash handling). */
  | { type: 'debug:crash' };

export type WorkerEvent =
  | {
      status: 'ready';
      backend: string;
      skipped: BackendAttempt[];
      tfVersion: string;
      adapter?: string;
      softwareAdapter?: boolean;
      /** Set when 'auto' passed over a software WebGPU adapter: why (shown to the user). */
      avoided?: string;
    }
  | { status: 'search:started'; runId: string; totalSteps: number; backend: string }
  | {
      status: 'search:progress';
      runId: string;
      snapshot: SearchSnapshot;
      totalSteps: number;
      /** Steps run since the previous progress event whose snapshots were not sent. */
      skipped: number;
    }
  /** The step-0 snapshot (the initialisation, before any update) of a fresh run. */
  | { status: 'search:initial'; runId: string; snapshot: SearchSnapshot }
  | { status: 'search:paused'; runId: string; step: number }
  /** Posted when a run pauses: everything needed to continue it after a reload. */
  | { status: 'search:checkpoint'; runId: string; checkpoint: SearchCheckpoint }
  | { status: 'search:done'; runId: string; snapshot: SearchSnapshot | null; seconds: number }
  | { status: 'search:reset'; runId: string }
  | { status: 'log'; runId?: string; text: string }
  | { status: 'error'; runId?: string; code: ErrorCode; message: string };

export type ErrorCode =
  | 'WORKER_FAILED'
  | 'WORKER_CRASHED'
  | 'BACKEND_UNAVAILABLE'
  | 'BAD_COMMAND'
  | 'BAD_DATA'
  | 'SEARCH_FAILED';

/** Buffers to hand over with a command (zero-copy transfer of the image pixels). */
export function transferables(cmd: WorkerCommand): Transferable[] {
  return cmd.type === 'search:start' ? imageBuffers(cmd.images.map((i) => i.image)) : [];
}
