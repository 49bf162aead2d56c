import { Search } from '../core/search/search';
import { searchDataFor } from '../core/data/patches';
import type { Image } from '../core/image/image';
import type { SearchFactory } from './searchRunner';

/**
 * Builds the core search over the page's decoded images: RGBA buffers become core images,
 * the patch sampler prepares LR/HR/bicubic once and splits them 50/50 (w-train / α-val).
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
  const data = searchDataFor(list, config);
  const search = checkpoint ? await Search.restore(checkpoint, data) : new Search(config, data);
  const notes = data.skipped.length
    ? [`skipped ${data.skipped.join(', ')}: LR smaller than the ${config.patch}-px patch`]
    : [];
  return Object.assign(search, { notes });
};
