import type { RunRecord } from './runRecord';

/**
 * Runs kept in IndexedDB (one object store keyed by run id) so a reload keeps them. Every
 * call degrades to a no-op with a rejected promise the caller logs, so a browser without
 * IndexedDB (private mode in some browsers) still runs searches.
 */
const DB_NAME = 'srbnas-playground';
const STORE = 'runs';
const VERSION = 1;

let dbPromise: Promise<IDBDatabase> | null = null;

function open(): Promise<IDBDatabase> {
  if (dbPromise) return dbPromise;
  dbPromise = new Promise((resolve, reject) => {
    if (typeof indexedDB === 'undefined') return reject(new Error('IndexedDB is not available'));
    const req = indexedDB.open(DB_NAME, VERSION);
    req.onupgradeneeded = () => {
      const db = req.result;
      if (!db.objectStoreNames.contains(STORE)) db.createObjectStore(STORE, { keyPath: 'id' });
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB open failed'));
    req.onblocked = () => reject(new Error('IndexedDB is blocked by another tab'));
  });
  dbPromise.catch(() => (dbPromise = null));
  return dbPromise;
}

function tx<T>(mode: IDBTransactionMode, fn: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  return open().then(
    (db) =>
      new Promise<T>((resolve, reject) => {
        const t = db.transaction(STORE, mode);
        const req = fn(t.objectStore(STORE));
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
  return tx('readwrite', (s) => s.delete(id)).then(() => undefined);
}
