import { readImageFile } from '../../browser/image/readImageFile';
import { grayIfNeutral, type Image } from '../../core/image/image';

/** Largest input the studio decodes (pixels); larger files are refused before decoding. */
export const STUDIO_MAX_INPUT_PIXELS = 16_000_000;

export interface StudioInput {
  name: string;
  image: Image;
  /** Things the user should know about how the file was read (animation, alpha, gray). */
  notes: string[];
}

/**
 * Read a dropped/picked/pasted file for upscaling (readImageFile: a message naming the file
 * when it is empty, not an image, corrupt or too large), gray kept as one channel, with notes.
 */
export async function readStudioInput(file: Blob, name: string): Promise<StudioInput> {
  const f = await readImageFile(file, name, { maxPixels: STUDIO_MAX_INPUT_PIXELS });
  const notes: string[] = [];
  if (f.frames !== undefined && f.frames > 1)
    notes.push(
      `animated ${f.format.toUpperCase()} (${f.frames} frames): only the first frame is upscaled`,
    );
  const img = grayIfNeutral(f.image);
  if (img.channels === 1) notes.push('grayscale: upscaled as gray');
  if (img.channels === 4)
    notes.push('alpha channel kept: colour through the model, alpha upscaled bicubically');
  return { name, image: img, notes };
}
