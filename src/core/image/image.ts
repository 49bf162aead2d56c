/**
 * Raster images as plain typed arrays, shared by the core, the worker and the CLI.
 *
 * Pixels are interleaved row-major (HWC): sample (y, x, c) is data[(y * width + x) * channels + c].
 * `Image` holds 8-bit samples (what files contain); `FloatImage` holds unrounded samples for
 * model inputs/outputs (the scale, e.g. [0,1] or [0,255], is the caller's choice).
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
