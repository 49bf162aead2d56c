/**
 * Image decode/encode in the browser (page or worker) through the platform codecs:
 * createImageBitmap + OffscreenCanvas. Touches only those globals (no DOM), so it runs in a
 * Web Worker; Node code uses src/node/image/codecNode instead.
 */
import type { Image } from '../../core/image/image';
import { createImage } from '../../core/image/image';

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
    const rgba = ctx.getImageData(0, 0, width, height).data;
    let opaque = true;
    for (let i = 3; i < rgba.length; i += 4) {
      if (rgba[i] !== 255) {
        opaque = false;
        break;
      }
    }
    const img = createImage(width, height, opaque ? 3 : 4);
    if (!opaque) {
      img.data.set(rgba);
    } else {
      for (let i = 0, j = 0; i < rgba.length; i += 4, j += 3) {
        img.data[j] = rgba[i];
        img.data[j + 1] = rgba[i + 1];
        img.data[j + 2] = rgba[i + 2];
      }
    }
    return img;
  } finally {
    bitmap.close();
  }
}

/** RGBA bytes for ImageData / canvas display (gray expanded, alpha 255 when absent). */
export function toRgbaBytes(img: Image): Uint8ClampedArray<ArrayBuffer> {
  const n = img.width * img.height;
  const out = new Uint8ClampedArray(n * 4);
  const c = img.channels;
  for (let i = 0; i < n; i++) {
    const p = i * c;
    out[4 * i] = img.data[p];
    out[4 * i + 1] = img.data[c === 1 ? p : p + 1];
    out[4 * i + 2] = img.data[c === 1 ? p : p + 2];
    out[4 * i + 3] = c === 4 ? img.data[p + 3] : 255;
  }
  return out;
}

/** Encode as a PNG (or JPEG with type 'image/jpeg') Blob for download. */
export async function encodeImageBlob(
  img: Image,
  type: 'image/png' | 'image/jpeg' = 'image/png',
  quality = 0.92,
): Promise<Blob> {
  const ctx = context2d(img.width, img.height);
  ctx.putImageData(new ImageData(toRgbaBytes(img), img.width, img.height), 0, 0);
  return ctx.canvas.convertToBlob({ type, quality });
}
