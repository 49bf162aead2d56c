/**
 * Reading an image file the user picked, dropped or pasted (the playground's training images
 * and the studio's inputs alike): checked before decoding from its first bytes (empty, not an
 * image, a declared size above the limit), decoded by the platform, and refused with a message
 * that names the file and says what is wrong. Never leaves a half-read state behind.
 */
import type { Image } from '../../core/image/image';
import { sniffImage, type Sniffed } from '../../core/image/sniff';
import { decodeImageBlob } from './decodeBrowser';

export interface ImageFile {
  name: string;
  image: Image;
  format: Sniffed['format'];
  /** Frames of an animated GIF/APNG (only the first is decoded). */
  frames?: number;
}

export interface ReadLimits {
  /** Largest width × height accepted. */
  maxPixels: number;
  /** Largest side accepted (default: no limit besides maxPixels). */
  maxSide?: number;
}

const mp = (n: number) => `${(n / 1e6).toFixed(1)} MP`;

/** Why a width × height is refused under `limits` (null: accepted). */
export function sizeProblem(width: number, height: number, limits: ReadLimits): string | null {
  if (width * height > limits.maxPixels) {
    const side = Math.floor(Math.sqrt(limits.maxPixels));
    return (
      `${width}×${height} (${mp(width * height)}) is above the input limit of ` +
      `${mp(limits.maxPixels)} (e.g. ${side}×${side}); crop or shrink it first`
    );
  }
  if (limits.maxSide !== undefined && (width > limits.maxSide || height > limits.maxSide))
    return `${width}×${height} is too large (limit ${limits.maxSide} px a side); crop or shrink it first`;
  return null;
}

export async function readImageFile(
  file: Blob,
  name: string,
  limits: ReadLimits,
): Promise<ImageFile> {
  if (file.size === 0) throw new Error(`${name}: the file is empty (0 bytes)`);
  const head = new Uint8Array(await file.slice(0, 1 << 20).arrayBuffer());
  const sn = sniffImage(head);
  if (sn.format === 'unknown' && !/^image\//.test(file.type))
    throw new Error(`${name}: not an image (PNG, JPEG, WebP or GIF expected)`);
  if (sn.width !== undefined && sn.height !== undefined) {
    if (sn.width === 0 || sn.height === 0)
      throw new Error(`${name}: the image declares a size of ${sn.width}×${sn.height}`);
    const why = sizeProblem(sn.width, sn.height, limits);
    if (why) throw new Error(`${name}: ${why}`);
  }
  let image: Image;
  try {
    image = await decodeImageBlob(file, limits.maxPixels);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    if (/above the limit/.test(msg)) throw new Error(`${name}: ${msg}; crop or shrink it first`);
    throw new Error(
      sn.format === 'unknown'
        ? `${name}: not an image the browser can decode`
        : `${name}: the ${sn.format.toUpperCase()} file is corrupt or truncated (${msg})`,
    );
  }
  const why = sizeProblem(image.width, image.height, limits);
  if (why) throw new Error(`${name}: ${why}`);
  return {
    name,
    image,
    format: sn.format,
    ...(sn.frames !== undefined ? { frames: sn.frames } : {}),
  };
}
