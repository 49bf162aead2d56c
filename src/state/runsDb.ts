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

let dbPromise: Promise<IDBDatabase> | null = null;

function open(): Promise<IDBDatabase> {
  if (dbPromise) return dbPromise;
  dbPromise = new Promise((resolve, reject) => {
    if (typeof indexedDB === 'undefined') return reject(new Error('IndexedDB is not available'));
    const req = indexedDB.open(DB_NAME, VERSION);
    req.onupgradeneeded = () => {
      const db = req.result;
      if (!db.objectStoreNames.contains(STORE)) db.createObjectStore(STORE, { keyPath: 'id' });
      if (!db.objectStoreNames.contains(RESUME)) db.createObjectStore(RESUME, { keyPath: 'id' });
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB open failed'));
    req.onblocked = () => reject(new Error('IndexedDB is blocked by another tab'));
  });
  dbPromise.catch(() => (dbPromise = null));
  return dbPromise;
}

function tx<T>(
  mode: IDBTransactionMode,
  fn: (s: IDBObjectStore) => IDBRequest<T>,
  store = STORE,
): Promise<T> {
  return open().then(
    (db) =>
      new Promise<T>((resolve, reject) => {
        const t = db.transaction(store, mode);
        const req = fn(t.objectStore(store));
        t.oncomplete = () => resolve(req.result);
        t.onerror = () => reject(t.error ?? new Error('IndexedDB transaction failed'));
        t.onabort = () => reject(t.error ?? new Error('IndexedDB transaction aborted'));
      }),
  );
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
