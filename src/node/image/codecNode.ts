/**
 * PNG and JPEG decode/encode on plain bytes with pngjs and jpeg-js (Node: pngjs needs zlib).
 * The browser uses src/browser/image/decodeBrowser instead, so this module is imported only by Node code
 * (CLI, tests) and never by the worker/UI bundle.
 */
import { PNG } from 'pngjs';
import jpeg from 'jpeg-js';
import type { Image } from '../../core/image/image';
import { createImage, imageFromRgba, imageToRgba } from '../../core/image/image';

export type ImageFormat = 'png' | 'jpeg';

/** Refuse images above this many pixels before decoding them (a 100 MP RGBA is 400 MB). */
export const DEFAULT_MAX_PIXELS = 64e6;

export function sniffFormat(bytes: Uint8Array): ImageFormat | undefined {
  if (bytes.length >= 8 && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e) {
    return 'png';
  }
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) {
    return 'jpeg';
  }
  return undefined;
}

function pngSize(bytes: Uint8Array): { width: number; height: number } {
  if (bytes.length < 24) throw new Error('truncated PNG header');
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { width: dv.getUint32(16), height: dv.getUint32(20) };
}

export function decodePng(bytes: Uint8Array, maxPixels = DEFAULT_MAX_PIXELS): Image {
  const { width, height } = pngSize(bytes);
  if (width * height > maxPixels) {
    throw new Error(`image is ${width}x${height}, above the limit of ${maxPixels} pixels`);
  }
  // pngjs always returns 8-bit RGBA (16-bit rescaled, palettes expanded, gray replicated).
  const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  // Gray stays 1 channel (Set14 'bridge' is 8-bit grayscale and metrics treat its samples as
  // Y); opaque images drop alpha.
  const meta = png as unknown as { color?: boolean; palette?: boolean };
  const gray = meta.color === false && !meta.palette;
  return imageFromRgba(new Uint8Array(png.data), png.width, png.height, gray);
}

export function decodeJpeg(bytes: Uint8Array, maxPixels = DEFAULT_MAX_PIXELS): Image {
  const out = jpeg.decode(bytes, {
    useTArray: true,
    formatAsRGBA: false,
    maxResolutionInMP: maxPixels / 1e6,
  });
  const img = createImage(out.width, out.height, 3);
  img.data.set(out.data.subarray(0, out.width * out.height * 3));
  return img;
}

/** Decode PNG or JPEG bytes (format sniffed from the signature). */
export function decodeImage(bytes: Uint8Array, maxPixels = DEFAULT_MAX_PIXELS): Image {
  const fmt = sniffFormat(bytes);
  if (fmt === 'png') return decodePng(bytes, maxPixels);
  if (fmt === 'jpeg') return decodeJpeg(bytes, maxPixels);
  throw new Error('not a PNG or JPEG file');
}

/** Lossless PNG keeping the channel count (gray, RGB or RGBA). */
export function encodePng(img: Image): Uint8Array {
  const colorType = img.channels === 1 ? 0 : img.channels === 3 ? 2 : 6;
  const buf = PNG.sync.write(
    { width: img.width, height: img.height, data: Buffer.from(img.data) } as PNG,
    { colorType, inputColorType: colorType, inputHasAlpha: img.channels === 4 },
  );
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}

/** Baseline JPEG (alpha dropped: jpeg-js reads R, G, B of each RGBA pixel; gray written as RGB). */
export function encodeJpeg(img: Image, quality = 92): Uint8Array {
  const rgba = imageToRgba(img);
  const out = jpeg.encode({ data: rgba, width: img.width, height: img.height }, quality);
  return new Uint8Array(out.data.buffer, out.data.byteOffset, out.data.byteLength);
}

export function encodeImage(img: Image, format: ImageFormat, quality?: number): Uint8Array {
  return format === 'png' ? encodePng(img) : encodeJpeg(img, quality);
}
