import { idbDatabase } from '../shared/idb';
import type { RunRecord } from './runRecord';
import type { SearchCheckpoint } from '../../core/search/search';
import { checkImage, imageFromRgba, type NamedImage } from '../../core/image/image';

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
  images: NamedImage[];
}

/** How records saved before the one image type kept their images: RGBA bytes and a size. */
interface LegacyImage {
  name: string;
  width: number;
  height: number;
  data: ArrayBuffer;
}

/** A saved record's images as core images (legacy RGBA records converted), checked. */
export function resumeImages(list: (NamedImage | LegacyImage)[]): NamedImage[] {
  return list.map((im) =>
    'image' in im
      ? { name: im.name, image: checkImage(im.image, im.name) }
      : { name: im.name, image: imageFromRgba(new Uint8Array(im.data), im.width, im.height) },
  );
}

export function saveResume(r: ResumeState): Promise<void> {
  return tx('readwrite', (s) => s.put(r), RESUME).then(() => undefined);
}

export async function loadResume(id: string): Promise<ResumeState | undefined> {
  const r = await tx<ResumeState | undefined>(
    'readonly',
    (s) => s.get(id) as IDBRequest<ResumeState | undefined>,
    RESUME,
  );
  return r && { ...r, images: resumeImages(r.images) };
}

/** Ids of runs that can be resumed. */
export function resumableIds(): Promise<string[]> {
  return tx<IDBValidKey[]>('readonly', (s) => s.getAllKeys(), RESUME).then((k) => k.map(String));
}
