import { idbDatabase } from '../shared/idb';
/**
 * The studio's IndexedDB: the in-page training checkpoint (SRBC bytes plus what is needed to
 * rebuild the run) and trained/loaded models, so a reload loses neither. Separate database from
 * the playground's runs. Calls reject when IndexedDB is unavailable; callers log and go on.
 */
const DB_NAME = 'srbnas-studio';
const STORES = ['checkpoints', 'models'] as const;
type Store = (typeof STORES)[number];

const db = idbDatabase(DB_NAME, 1, STORES);

function tx<T>(store: Store, mode: IDBTransactionMode, fn: (s: IDBObjectStore) => IDBRequest<T>) {
  return db(store, mode, fn);
}

export const dbPut = <T extends { id: string }>(store: Store, value: T) =>
  tx(store, 'readwrite', (s) => s.put(value)).then(() => undefined);

export const dbGet = <T>(store: Store, id: string) =>
  tx<T | undefined>(store, 'readonly', (s) => s.get(id) as IDBRequest<T | undefined>);

export const dbAll = <T>(store: Store) =>
  tx<T[]>(store, 'readonly', (s) => s.getAll() as IDBRequest<T[]>);

export const dbDelete = (store: Store, id: string) =>
  tx(store, 'readwrite', (s) => s.delete(id)).then(() => undefined);
