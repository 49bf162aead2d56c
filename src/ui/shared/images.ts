import type { TrainingImage } from '../../state/search/store';
import { readImageFile } from '../../browser/image/readImageFile';

/** The bundled default training images (public/images, permissively licensed). */
export const DEFAULT_IMAGES = ['astronaut', 'coffee', 'chelsea', 'rocket'];

/** Larger images are refused with a message, not decoded: they would freeze the tab. */
export const MAX_SIDE = 4096;
export const MAX_PIXELS = 12_000_000;

/**
 * Read a picked, dropped or fetched training image (readImageFile, as the studio does: the
 * file's own samples, a message naming the file on failure), at least 32 px a side.
 */
export async function readTrainingImage(
  blob: Blob,
  name: string,
  source: TrainingImage['source'],
): Promise<TrainingImage> {
  const { image } = await readImageFile(blob, name, { maxPixels: MAX_PIXELS, maxSide: MAX_SIDE });
  if (image.width < 32 || image.height < 32)
    throw new Error(`${name}: ${image.width}×${image.height} is too small for training patches`);
  return { name, source, image };
}

/** Fetch the default images as same-origin files. */
export async function loadDefaultImages(): Promise<TrainingImage[]> {
  const base = import.meta.env.BASE_URL;
  return Promise.all(
    DEFAULT_IMAGES.map(async (n) => {
      const url = `${base}images/${n}.png`;
      const res = await fetch(url);
      if (!res.ok) throw new Error(`default image ${url}: HTTP ${res.status}`);
      return readTrainingImage(await res.blob(), `${n}.png`, 'default');
    }),
  );
}
