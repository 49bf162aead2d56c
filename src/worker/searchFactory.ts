import type { Image } from '../core/image/image';
import { SearchSession } from '../core/search/session';
import type { SearchFactory } from './searchRunner';

/**
 * Opens the core search session over the page's decoded images: RGBA buffers become core
 * images; the session prepares LR/HR/bicubic once and splits them 50/50 (w-train / α-val).
 */
export const createSearch: SearchFactory = async (config, images, checkpoint) => {
  const list = images.map((im) => {
    if (im.data.byteLength !== im.width * im.height * 4)
      throw new Error(
        `image ${im.name}: ${im.data.byteLength} bytes for ${im.width}×${im.height} RGBA (expected ${im.width * im.height * 4})`,
      );
    const image: Image = {
      width: im.width,
      height: im.height,
      channels: 4,
      data: new Uint8Array(im.data),
    };
    return { name: im.name, image };
  });
  return SearchSession.open(list, config, { checkpoint });
};
