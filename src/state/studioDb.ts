/**
 * The studio's IndexedDB: the in-page training checkpoint (SRBC bytes plus what is needed to
 * rebuild the run) and trained/loaded models, so a reload loses neither. Separate database from
 * the playground's runs. Calls reject when IndexedDB is unavailable; callers log and go on.
 */
const DB_NAME = 'srbnas-studio';
const STORES = ['checkpoints', 'models'] as const;
type Store = (typeof STORES)[number];

let dbPromise: Promise<IDBDatabase> | null = null;

function open(): Promise<IDBDatabase> {
  if (dbPromise) return dbPromise;
  dbPromise = new Promise((resolve, reject) => {
    if (typeof indexedDB === 'undefined') return reject(new Error('IndexedDB is not available'));
    const req = indexedDB.open(DB_NAME, 1);
    req.onupgradeneeded = () => {
      for (const s of STORES)
        if (!req.result.objectStoreNames.contains(s))
          req.result.createObjectStore(s, { keyPath: 'id' });
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB open failed'));
    req.onblocked = () => reject(new Error('IndexedDB is blocked by another tab'));
  });
  dbPromise.catch(() => (dbPromise = null));
  return dbPromise;
}

function tx<T>(store: Store, mode: IDBTransactionMode, fn: (s: IDBObjectStore) => IDBRequest<T>) {
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

export const dbPut = <T extends { id: string }>(store: Store, value: T) =>
  tx(store, 'readwrite', (s) => s.put(value)).then(() => undefined);

export const dbGet = <T>(store: Store, id: string) =>
  tx<T | undefined>(store, 'readonly', (s) => s.get(id) as IDBRequest<T | undefined>);

export const dbAll = <T>(store: Store) =>
  tx<T[]>(store, 'readonly', (s) => s.getAll() as IDBRequest<T[]>);

export const dbDelete = (store: Store, id: string) =>
  tx(store, 'readwrite', (s) => s.delete(id)).then(() => undefined);
