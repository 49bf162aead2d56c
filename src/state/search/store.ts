import { create } from 'zustand';
import type { BackendAttempt } from '../../core/backend';
import type { GenotypeJSON } from '../../core/search/genotype';
import type { SearchConfig, SearchSnapshot } from '../../core/search/types';
import type { NamedImage } from '../../core/image/image';
import { EMPTY_HISTORY, pushSnapshot, type SnapshotHistory } from './history';
import { recordFromSnapshot, type RunRecord, type RunStatus } from './runRecord';
import type { WorkerEvent } from '../../worker/protocol';
import { BROWSER_DEFAULT_CONFIG } from './configSpec';
import type { BackendPref } from '../shared/backendPref';

export type { RunStatus } from './runRecord';

export type BackendStatus =
  | { state: 'starting' }
  | {
      state: 'ready';
      name: string;
      skipped: BackendAttempt[];
      tfVersion: string;
      /** WebGPU adapter description, and whether it is a software (fallback) adapter. */
      adapter?: string;
      softwareAdapter?: boolean;
      /** Why 'auto' passed over WebGPU (a software adapter), when it did. */
      avoided?: string;
    }
  | { state: 'failed'; message: string };

export interface LogLine {
  t: number;
  level: 'info' | 'warn' | 'error';
  text: string;
}

/** A training image the page decoded (pixels stay here until a run transfers a copy). */
export interface TrainingImage extends NamedImage {
  source: 'default' | 'user';
}

export interface AppState {
  backend: BackendStatus;
  backendPref: BackendPref;
  config: SearchConfig;
  status: RunStatus;
  runId: string;
  totalSteps: number;
  history: SnapshotHistory;
  latest: SearchSnapshot | null;
  /** The run's step-0 snapshot (its initialisation), when the worker sent it. */
  initial: SearchSnapshot | null;
  log: LogLine[];
  runs: RunRecord[];
  /** The run in progress (or last one), mirrored into the runs list and IndexedDB. */
  current: RunRecord | null;
  crash: string | null;
  /** Pause pressed; the worker stops after the step in flight. */
  pauseRequested: boolean;
  /** Runs with a saved checkpoint (resumable after a reload). */
  resumable: string[];
  images: TrainingImage[];
  imagesError: string | null;
  imported: { name: string; genotype: GenotypeJSON } | null;
  importError: string | null;
}

export const LOG_MAX = 300;

export const initialState: AppState = {
  backend: { state: 'starting' },
  backendPref: 'auto',
  config: BROWSER_DEFAULT_CONFIG,
  status: 'idle',
  runId: '',
  totalSteps: 0,
  history: EMPTY_HISTORY,
  latest: null,
  initial: null,
  log: [],
  runs: [],
  current: null,
  crash: null,
  pauseRequested: false,
  resumable: [],
  images: [],
  imagesError: null,
  imported: null,
  importError: null,
};

export function addLog(
  s: AppState,
  text: string,
  level: LogLine['level'] = 'info',
): Partial<AppState> {
  const log = [...s.log, { t: Date.now(), level, text }];
  return { log: log.length > LOG_MAX ? log.slice(log.length - LOG_MAX) : log };
}

/** A fresh run record for `config`. */
export function newRun(id: string, config: SearchConfig): RunRecord {
  return {
    id,
    createdAt: Date.now(),
    config,
    status: 'starting',
    step: 0,
    totalSteps: config.epochs * config.stepsPerEpoch,
    backend: '',
    seconds: 0,
    last: null,
    curve: [],
  };
}

function withRun(s: AppState, current: RunRecord): Partial<AppState> {
  const runs = s.runs.some((r) => r.id === current.id)
    ? s.runs.map((r) => (r.id === current.id ? current : r))
    : [current, ...s.runs];
  return { current, runs };
}

/**
 * Pure reducer from a worker event to a state patch. Search events of another run (one the
 * user reset, still in flight) are ignored.
 */
export function applyEvent(s: AppState, e: WorkerEvent): Partial<AppState> {
  if ('runId' in e && e.runId !== undefined && e.runId !== s.runId) return {};
  switch (e.status) {
    case 'ready':
      return {
        backend: {
          state: 'ready',
          name: e.backend,
          skipped: e.skipped,
          tfVersion: e.tfVersion,
          adapter: e.adapter,
          softwareAdapter: e.softwareAdapter,
          avoided: e.avoided,
        },
        ...addLog(
          s,
          `worker ready: tfjs ${e.tfVersion} on ${e.backend}${e.adapter && !e.avoided ? ` (${e.adapter})` : ''}${e.avoided ? ` (${e.avoided})` : ''}`,
        ),
      };
    case 'search:started':
      return {
        status: s.status === 'starting' ? 'running' : s.status,
        totalSteps: e.totalSteps,
        ...(s.current ? withRun(s, { ...s.current, status: 'running', backend: e.backend }) : {}),
      };
    case 'search:initial': {
      const snap = e.snapshot;
      const current = s.current
        ? { ...s.current, initial: { genotype: snap.genotype, alpha: snap.alpha } }
        : null;
      return {
        initial: snap,
        latest: s.latest ?? snap,
        history: pushSnapshot(s.history, snap),
        ...(current ? withRun(s, current) : {}),
      };
    }
    case 'search:progress': {
      const current = s.current
        ? { ...recordFromSnapshot(s.current, e.snapshot), status: s.status }
        : null;
      return {
        latest: e.snapshot,
        totalSteps: e.totalSteps,
        history: pushSnapshot(s.history, e.snapshot),
        ...(current ? withRun(s, current) : {}),
      };
    }
    case 'search:paused':
      return {
        status: 'paused',
        pauseRequested: false,
        ...(s.current ? withRun(s, { ...s.current, status: 'paused' }) : {}),
        ...addLog(s, `paused at step ${e.step}`),
      };
    case 'search:done': {
      let current = s.current;
      if (current && e.snapshot) current = recordFromSnapshot(current, e.snapshot);
      if (current) current = { ...current, status: 'done', seconds: e.seconds };
      return {
        status: 'done',
        pauseRequested: false,
        ...(current ? withRun(s, current) : {}),
        ...addLog(s, `search done in ${e.seconds.toFixed(1)} s`),
      };
    }
    case 'search:reset':
      return addLog(s, 'search reset; worker memory freed');
    case 'search:checkpoint':
      return {}; // the controller stores it and logs once it is saved
    case 'log':
      return addLog(s, e.text);
    case 'error': {
      const text = `${e.code}: ${e.message}`;
      if (e.code === 'WORKER_CRASHED' || e.code === 'WORKER_FAILED')
        return {
          crash: e.message,
          status: s.status === 'idle' ? 'idle' : 'crashed',
          backend:
            s.backend.state === 'ready' ? s.backend : { state: 'failed', message: e.message },
          ...(s.current && s.status !== 'idle' && s.status !== 'done'
            ? withRun(s, { ...s.current, status: 'crashed' })
            : {}),
          ...addLog(s, text, 'error'),
        };
      if (e.code === 'BACKEND_UNAVAILABLE')
        return { backend: { state: 'failed', message: e.message }, ...addLog(s, text, 'error') };
      return {
        status: s.status === 'idle' ? 'idle' : 'failed',
        ...(s.current && s.status !== 'idle' ? withRun(s, { ...s.current, status: 'failed' }) : {}),
        ...addLog(s, text, 'error'),
      };
    }
  }
}

export const useStore = create<AppState>(() => initialState);

export const setState = useStore.setState;
export const getState = useStore.getState;

/** Kept for the backend badge and older callers. */
export function setBackend(b: BackendStatus) {
  setState({ backend: b });
}
