/**
 * Image decode/encode in the browser (page or worker) through the platform codecs:
 * createImageBitmap + OffscreenCanvas. Touches only those globals (no DOM), so it runs in a
 * Web Worker; Node code uses src/node/image/codecNode instead.
 */
import { imageFromRgba, imageToRgba, type Image } from '../../core/image/image';

/** Refuse images above this many pixels (decoding a huge photo can freeze or crash a tab). */
export const BROWSER_MAX_PIXELS = 40e6;

function context2d(width: number, height: number): OffscreenCanvasRenderingContext2D {
  if (typeof OffscreenCanvas === 'undefined') {
    throw new Error('this browser has no OffscreenCanvas; cannot decode images');
  }
  const ctx = new OffscreenCanvas(width, height).getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new Error('could not get a 2D context on an OffscreenCanvas');
  return ctx;
}

/**
 * Decode PNG/JPEG/WebP bytes to an RGB image (RGBA if any pixel is not opaque). Colour-space
 * conversion and alpha premultiplication are turned off so the samples are the file's.
 */
export async function decodeImageBlob(blob: Blob, maxPixels = BROWSER_MAX_PIXELS): Promise<Image> {
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(blob, {
      colorSpaceConversion: 'none',
      premultiplyAlpha: 'none',
    });
  } catch {
    throw new Error('not an image the browser can decode (PNG or JPEG expected)');
  }
  try {
    const { width, height } = bitmap;
    if (width * height > maxPixels) {
      throw new Error(`image is ${width}x${height}, above the limit of ${maxPixels} pixels`);
    }
    const ctx = context2d(width, height);
    ctx.drawImage(bitmap, 0, 0);
    return imageFromRgba(ctx.getImageData(0, 0, width, height).data, width, height);
  } finally {
    bitmap.close();
  }
}

/** Encode as a PNG (or JPEG with type 'image/jpeg') Blob for download. */
export async function encodeImageBlob(
  img: Image,
  type: 'image/png' | 'image/jpeg' = 'image/png',
  quality = 0.92,
): Promise<Blob> {
  const ctx = context2d(img.width, img.height);
  ctx.putImageData(new ImageData(imageToRgba(img), img.width, img.height), 0, 0);
  return ctx.canvas.convertToBlob({ type, quality });
}
