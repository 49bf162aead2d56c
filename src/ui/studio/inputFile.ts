import { decodeImageBlob } from '../../browser/image/decodeBrowser';
import { createImage, type Image } from '../../core/image/image';
import { sniffImage } from './sniff';

/** Largest input the studio decodes (pixels); larger files are refused before decoding. */
export const STUDIO_MAX_INPUT_PIXELS = 16_000_000;

export interface StudioInput {
  name: string;
  image: Image;
  /** Things the user should know about how the file was read (animation, alpha, gray). */
  notes: string[];
}

const mp = (n: number) => `${(n / 1e6).toFixed(1)} MP`;

/** Collapse an opaque RGB image whose channels are all equal to 1-channel grayscale. */
export function grayIfNeutral(img: Image): Image {
  if (img.channels !== 3) return img;
  const d = img.data;
  for (let i = 0; i < d.length; i += 3) if (d[i] !== d[i + 1] || d[i] !== d[i + 2]) return img;
  const g = createImage(img.width, img.height, 1);
  for (let i = 0, j = 0; j < g.data.length; i += 3, j++) g.data[j] = d[i];
  return g;
}

/**
 * Read a dropped/picked/pasted file for upscaling. Throws an Error whose message names the file
 * and says what is wrong (empty, not an image, corrupt, too large); never leaves the page in a
 * half state.
 */
export async function readStudioInput(file: Blob, name: string): Promise<StudioInput> {
  if (file.size === 0) throw new Error(`${name}: the file is empty (0 bytes)`);
  const head = new Uint8Array(await file.slice(0, 1 << 20).arrayBuffer());
  const sn = sniffImage(head);
  if (sn.format === 'unknown' && !/^image\//.test(file.type))
    throw new Error(`${name}: not an image (PNG, JPEG, WebP or GIF expected)`);
  if (sn.width !== undefined && sn.height !== undefined) {
    if (sn.width === 0 || sn.height === 0)
      throw new Error(`${name}: the image declares a size of ${sn.width}×${sn.height}`);
    if (sn.width * sn.height > STUDIO_MAX_INPUT_PIXELS)
      throw new Error(
        `${name}: ${sn.width}×${sn.height} (${mp(sn.width * sn.height)}) is above the input limit ` +
          `of ${mp(STUDIO_MAX_INPUT_PIXELS)} (e.g. 4000×4000); crop or shrink it first`,
      );
  }
  let img: Image;
  try {
    img = await decodeImageBlob(file, STUDIO_MAX_INPUT_PIXELS);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    if (/above the limit/.test(msg)) throw new Error(`${name}: ${msg}; crop or shrink it first`);
    throw new Error(
      sn.format === 'unknown'
        ? `${name}: not an image the browser can decode`
        : `${name}: the ${sn.format.toUpperCase()} file is corrupt or truncated (${msg})`,
    );
  }
  const notes: string[] = [];
  if (sn.frames !== undefined && sn.frames > 1)
    notes.push(
      `animated ${sn.format.toUpperCase()} (${sn.frames} frames): only the first frame is upscaled`,
    );
  img = grayIfNeutral(img);
  if (img.channels === 1) notes.push('grayscale: upscaled as gray');
  if (img.channels === 4)
    notes.push('alpha channel kept: colour through the model, alpha upscaled bicubically');
  return { name, image: img, notes };
}
