import type { TrainingImage } from '../state/store';

/** The bundled default training images (public/images, permissively licensed). */
export const DEFAULT_IMAGES = ['astronaut', 'coffee', 'chelsea', 'rocket'];

/** Larger images are refused with a message, not decoded: they would freeze the tab. */
export const MAX_SIDE = 4096;
export const MAX_PIXELS = 12_000_000;

/** Decode any browser-readable image into RGBA pixels, with a message naming the file on failure. */
export async function decodeImage(
  blob: Blob,
  name: string,
  source: TrainingImage['source'],
): Promise<TrainingImage> {
  let bmp: ImageBitmap;
  try {
    bmp = await createImageBitmap(blob);
  } catch {
    throw new Error(`${name}: not a readable image (corrupt or unsupported format)`);
  }
  try {
    const { width, height } = bmp;
    if (width > MAX_SIDE || height > MAX_SIDE || width * height > MAX_PIXELS)
      throw new Error(
        `${name}: ${width}×${height} is too large (limit ${MAX_SIDE} px a side, ${MAX_PIXELS / 1e6} MP); crop or shrink it first`,
      );
    if (width < 32 || height < 32)
      throw new Error(`${name}: ${width}×${height} is too small for training patches`);
    const canvas = new OffscreenCanvas(width, height);
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('no 2D canvas available to decode images');
    ctx.drawImage(bmp, 0, 0);
    const rgba = ctx.getImageData(0, 0, width, height).data;
    return { name, source, width, height, rgba };
  } finally {
    bmp.close();
  }
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
