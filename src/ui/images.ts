import type { TrainingImage } from '../state/store';
import { decodeImageBlob, toRgbaBytes } from '../browser/image/decodeBrowser';

/** The bundled default training images (public/images, permissively licensed). */
export const DEFAULT_IMAGES = ['astronaut', 'coffee', 'chelsea', 'rocket'];

/** Larger images are refused with a message, not decoded: they would freeze the tab. */
export const MAX_SIDE = 4096;
export const MAX_PIXELS = 12_000_000;

/**
 * Decode a picked, dropped or fetched image into RGBA pixels (core browser decoder: no colour
 * management, so samples are the file's), with a message naming the file on failure.
 */
export async function decodeImage(
  blob: Blob,
  name: string,
  source: TrainingImage['source'],
): Promise<TrainingImage> {
  let img;
  try {
    img = await decodeImageBlob(blob, MAX_PIXELS);
  } catch (e) {
    throw new Error(`${name}: ${e instanceof Error ? e.message : String(e)}`);
  }
  const { width, height } = img;
  if (width > MAX_SIDE || height > MAX_SIDE)
    throw new Error(
      `${name}: ${width}×${height} is too large (limit ${MAX_SIDE} px a side); crop or shrink it first`,
    );
  if (width < 32 || height < 32)
    throw new Error(`${name}: ${width}×${height} is too small for training patches`);
  return { name, source, width, height, rgba: toRgbaBytes(img) };
}

/** Fetch the default images as same-origin files. */
export async function loadDefaultImages(): Promise<TrainingImage[]> {
  const base = import.meta.env.BASE_URL;
  return Promise.all(
    DEFAULT_IMAGES.map(async (n) => {
      const url = `${base}images/${n}.png`;
      const res = await fetch(url);
      if (!res.ok) throw new Error(`default image ${url}: HTTP ${res.status}`);
      return decodeImage(await res.blob(), `${n}.png`, 'default');
    }),
  );
}
