/**
 * One small IndexedDB helper for the page's two databases (playground runs, studio models and
 * checkpoints): every store is keyed by `id`, opened lazily once, and every call rejects when
 * IndexedDB is unavailable (private mode in some browsers) so callers log and go on.
 */
export type IdbTx = <T>(
  store: string,
  mode: IDBTransactionMode,
  fn: (s: IDBObjectStore) => IDBRequest<T>,
) => Promise<T>;

export function idbDatabase(name: string, version: number, stores: readonly string[]): IdbTx {
  let dbPromise: Promise<IDBDatabase> | null = null;
  const open = (): Promise<IDBDatabase> => {
    if (dbPromise) return dbPromise;
    dbPromise = new Promise((resolve, reject) => {
      if (typeof indexedDB === 'undefined') return reject(new Error('IndexedDB is not available'));
      const req = indexedDB.open(name, version);
      req.onupgradeneeded = () => {
        for (const s of stores)
          if (!req.result.objectStoreNames.contains(s))
            req.result.createObjectStore(s, { keyPath: 'id' });
      };
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error ?? new Error('IndexedDB open failed'));
      req.onblocked = () => reject(new Error('IndexedDB is blocked by another tab'));
    });
    // A failed open is retried on the next call rather than cached.
    dbPromise.catch(() => (dbPromise = null));
    return dbPromise;
  };
  return (store, mode, fn) =>
    open().then(
      (db) =>
        new Promise((resolve, reject) => {
          const t = db.transaction(store, mode);
          const req = fn(t.objectStore(store));
          t.oncomplete = () => resolve(req.result);
          t.onerror = () => reject(t.error ?? new Error('IndexedDB transaction failed'));
          t.onabort = () => reject(t.error ?? new Error('IndexedDB transaction aborted'));
        }),
    );
}
