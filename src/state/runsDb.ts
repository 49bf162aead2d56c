import { idbDatabase } from './idb';
import type { RunRecord } from './runRecord';
import type { SearchCheckpoint } from '../core/search/search';
import type { RgbaImage } from '../worker/protocol';

/**
 * Runs kept in IndexedDB (one object store keyed by run id) so a reload keeps them. Every
 * call degrades to a no-op with a rejected promise the caller logs, so a browser without
 * IndexedDB (private mode in some browsers) still runs searches.
 */
const DB_NAME = 'srbnas-playground';
const STORE = 'runs';
/** Checkpoint + training images of a paused run, so it can continue after a reload. */
const RESUME = 'resume';
const VERSION = 2;

const db = idbDatabase(DB_NAME, VERSION, [STORE, RESUME]);

function tx<T>(
  mode: IDBTransactionMode,
  fn: (s: IDBObjectStore) => IDBRequest<T>,
  store = STORE,
): Promise<T> {
  return db(store, mode, fn);
}

export function saveRun(r: RunRecord): Promise<void> {
  return tx('readwrite', (s) => s.put(r)).then(() => undefined);
}

/** All runs, newest first. */
export async function loadRuns(): Promise<RunRecord[]> {
  const all = await tx<RunRecord[]>('readonly', (s) => s.getAll() as IDBRequest<RunRecord[]>);
  return all.sort((a, b) => b.createdAt - a.createdAt);
}

export function deleteRun(id: string): Promise<void> {
  return Promise.all([
    tx('readwrite', (s) => s.delete(id)),
    tx('readwrite', (s) => s.delete(id), RESUME),
  ]).then(() => undefined);
}

export interface ResumeState {
  id: string;
  checkpoint: SearchCheckpoint;
  images: RgbaImage[];
}

export function saveResume(r: ResumeState): Promise<void> {
  return tx('readwrite', (s) => s.put(r), RESUME).then(() => undefined);
}

export function loadResume(id: string): Promise<ResumeState | undefined> {
  return tx<ResumeState | undefined>(
    'readonly',
    (s) => s.get(id) as IDBRequest<ResumeState | undefined>,
    RESUME,
  );
}

/** Ids of runs that can be resumed. */
export function resumableIds(): Promise<string[]> {
  return tx<IDBValidKey[]>('readonly', (s) => s.getAllKeys(), RESUME).then((k) => k.map(String));
}
