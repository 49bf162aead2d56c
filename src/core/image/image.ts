/**
 * Raster images as plain typed arrays, shared by the core, the worker and the CLI.
 *
 * Pixels are interleaved row-major (HWC): sample (y, x, c) is data[(y * width + x) * channels + c].
 * `Image` holds 8-bit samples (what files contain); `FloatImage` holds unrounded samples for
 * model inputs/outputs (the scale, e.g. [0,1] or [0,255], is the caller's choice).
 *
 * `Image` is the one 8-bit image type of the app: decoders return it (src/node/image,
 * src/browser/image), the page keeps it, and it crosses to and from workers as is (a typed
 * array is structured-cloneable; `imageBuffers` lists what to transfer). The one pair of
 * converters is `imageFromRgba` / `imageToRgba`, for what canvases and codecs speak.
 */

/** 1 = grayscale, 3 = RGB, 4 = RGBA. */
export type Channels = 1 | 3 | 4;

export interface Image {
  width: number;
  height: number;
  channels: Channels;
  data: Uint8Array;
}

export interface FloatImage {
  width: number;
  height: number;
  channels: Channels;
  data: Float32Array;
}

function checkSize(width: number, height: number, channels: number): void {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new Error(`bad image size ${width}x${height}`);
  }
  if (channels !== 1 && channels !== 3 && channels !== 4) {
    throw new Error(`bad channel count ${channels} (expected 1, 3 or 4)`);
  }
}

export function createImage(width: number, height: number, channels: Channels): Image {
  checkSize(width, height, channels);
  return { width, height, channels, data: new Uint8Array(width * height * channels) };
}

export function createFloatImage(width: number, height: number, channels: Channels): FloatImage {
  checkSize(width, height, channels);
  return { width, height, channels, data: new Float32Array(width * height * channels) };
}

/** Round half away from zero and saturate to [0, 255] (MATLAB's double -> uint8). */
export function toUint8(v: number): number {
  if (!(v > 0)) return 0; // also maps NaN to 0, as MATLAB does
  if (v >= 255) return 255;
  return Math.floor(v + 0.5);
}

/**
 * Drop alpha and expand gray so the result has exactly 3 channels. Alpha is dropped, not
 * composited: SR operates on the colour samples as stored.
 */
export function toRgb(img: Image): Image {
  if (img.channels === 3) return img;
  const n = img.width * img.height;
  const out = createImage(img.width, img.height, 3);
  const src = img.data;
  const dst = out.data;
  for (let i = 0; i < n; i++) {
    if (img.channels === 1) {
      const g = src[i];
      dst[3 * i] = g;
      dst[3 * i + 1] = g;
      dst[3 * i + 2] = g;
    } else {
      dst[3 * i] = src[4 * i];
      dst[3 * i + 1] = src[4 * i + 1];
      dst[3 * i + 2] = src[4 * i + 2];
    }
  }
  return out;
}

/** 8-bit -> float, multiplied by `scale` (1/255 gives [0,1]). */
export function toFloat(img: Image, scale = 1 / 255): FloatImage {
  const out = createFloatImage(img.width, img.height, img.channels);
  for (let i = 0; i < img.data.length; i++) out.data[i] = img.data[i] * scale;
  return out;
}

/** Float -> 8-bit: multiply by `scale` (255 for [0,1] data), round half away, saturate. */
export function fromFloat(img: FloatImage, scale = 255): Image {
  const out = createImage(img.width, img.height, img.channels);
  for (let i = 0; i < img.data.length; i++) out.data[i] = toUint8(img.data[i] * scale);
  return out;
}

/** The top-left (x, y, width, height) window, as a copy. */
export function crop<T extends Image | FloatImage>(
  img: T,
  x: number,
  y: number,
  width: number,
  height: number,
): T {
  if (x < 0 || y < 0 || x + width > img.width || y + height > img.height) {
    throw new Error(
      `crop ${width}x${height}+${x}+${y} falls outside the ${img.width}x${img.height} image`,
    );
  }
  checkSize(width, height, img.channels);
  const c = img.channels;
  const Ctor = img.data.constructor as new (n: number) => T['data'];
  const data = new Ctor(width * height * c);
  for (let r = 0; r < height; r++) {
    const from = ((y + r) * img.width + x) * c;
    data.set(img.data.subarray(from, from + width * c), r * width * c);
  }
  return { ...img, width, height, data } as T;
}

/**
 * Crop at the top-left so width and height are multiples of `scale` (the datasets' HR
 * convention: HR size = floor(original / s) * s, see datasets/MANIFEST.md).
 */
export function modcrop<T extends Image | FloatImage>(img: T, scale: number): T {
  const w = img.width - (img.width % scale);
  const h = img.height - (img.height % scale);
  if (w === img.width && h === img.height) return img;
  if (w === 0 || h === 0) {
    throw new Error(`image ${img.width}x${img.height} is smaller than the scale ${scale}`);
  }
  return crop(img, 0, 0, w, h);
}

/**
 * RGBA bytes (a canvas's ImageData, a PNG decoder's output) to an Image with only the channels
 * the pixels need: 4 when some pixel is not opaque, else 1 when `gray` (the file says the image
 * is grayscale; its R is its sample) or 3.
 */
export function imageFromRgba(
  rgba: Uint8Array | Uint8ClampedArray,
  width: number,
  height: number,
  gray = false,
): Image {
  const n = width * height;
  if (rgba.length < n * 4)
    throw new Error(`${rgba.length} RGBA bytes for a ${width}x${height} image (expected ${n * 4})`);
  let opaque = true;
  for (let i = 3; i < n * 4; i += 4) {
    if (rgba[i] !== 255) {
      opaque = false;
      break;
    }
  }
  const channels: Channels = !opaque ? 4 : gray ? 1 : 3;
  const img = createImage(width, height, channels);
  const d = img.data;
  if (channels === 4) d.set(rgba.subarray(0, n * 4));
  else if (channels === 1) for (let i = 0; i < n; i++) d[i] = rgba[4 * i];
  else
    for (let i = 0; i < n; i++) {
      d[3 * i] = rgba[4 * i];
      d[3 * i + 1] = rgba[4 * i + 1];
      d[3 * i + 2] = rgba[4 * i + 2];
    }
  return img;
}

/** An Image as RGBA bytes (for ImageData and encoders): gray expanded, alpha 255 when absent. */
export function imageToRgba(img: Image): Uint8ClampedArray<ArrayBuffer> {
  const n = img.width * img.height;
  const out = new Uint8ClampedArray(n * 4);
  const c = img.channels;
  const d = img.data;
  for (let i = 0; i < n; i++) {
    const p = i * c;
    out[4 * i] = d[p];
    out[4 * i + 1] = d[c === 1 ? p : p + 1];
    out[4 * i + 2] = d[c === 1 ? p : p + 2];
    out[4 * i + 3] = c === 4 ? d[p + 3] : 255;
  }
  return out;
}

/** A copy on a fresh buffer of exactly its pixels (to transfer while keeping the original). */
export function copyImage(img: Image): Image {
  return { width: img.width, height: img.height, channels: img.channels, data: img.data.slice() };
}

/**
 * The buffers to transfer with images posted to or from a worker, each once (two images may
 * share one). A view on part of a larger buffer is left to be copied, so transferring never
 * detaches pixels that are not the image's.
 */
export function imageBuffers(images: (Image | undefined)[]): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  for (const im of images) {
    if (!im) continue;
    const b = im.data.buffer;
    if (b instanceof ArrayBuffer && im.data.byteOffset === 0 && im.data.byteLength === b.byteLength)
      out.add(b);
  }
  return [...out];
}

/**
 * An image received from another thread or from storage, checked (a clear error, not a
 * garbled run, when a message or a saved record is not what it claims).
 */
export function checkImage(x: unknown, what: string): Image {
  const im = x as Partial<Image> | null;
  if (
    !im ||
    !(im.data instanceof Uint8Array) ||
    !Number.isInteger(im.width) ||
    !Number.isInteger(im.height) ||
    (im.channels !== 1 && im.channels !== 3 && im.channels !== 4)
  )
    throw new Error(`${what}: not an image (width, height, channels 1/3/4, 8-bit data)`);
  const want = im.width! * im.height! * im.channels;
  if (im.data.length !== want)
    throw new Error(
      `${what}: ${im.data.length} bytes for ${im.width}×${im.height}×${im.channels} (expected ${want})`,
    );
  return im as Image;
}

/** An image with the name of its file (training sets, worker messages). */
export interface NamedImage {
  name: string;
  image: Image;
}

/** Collapse an opaque RGB image whose channels are all equal to 1-channel grayscale. */
export function grayIfNeutral(img: Image): Image {
  if (img.channels !== 3) return img;
  const d = img.data;
  for (let i = 0; i < d.length; i += 3) if (d[i] !== d[i + 1] || d[i] !== d[i + 2]) return img;
  const g = createImage(img.width, img.height, 1);
  for (let i = 0, j = 0; j < g.data.length; i += 3, j++) g.data[j] = d[i];
  return g;
}
