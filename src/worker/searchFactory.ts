import { Search } from '../core/search/search';
import { searchDataFor } from '../core/data/patches';
import { checkImage } from '../core/image/image';
import type { SearchFactory } from './searchRunner';

/**
 * Builds the core search over the page's decoded images (checked: a message that names the
 * image when one is not what it claims); the patch sampler prepares LR/HR/bicubic once and
 * splits them 50/50 (w-train / α-val).
 */
export const createSearch: SearchFactory = async (config, images, checkpoint) => {
  const list = images.map((im) => ({
    name: im.name,
    image: checkImage(im.image, `image ${im.name}`),
  }));
  const data = searchDataFor(list, config);
  const search = checkpoint ? await Search.restore(checkpoint, data) : new Search(config, data);
  const notes = data.skipped.length
    ? [`skipped ${data.skipped.join(', ')}: LR smaller than the ${config.patch}-px patch`]
    : [];
  return Object.assign(search, { notes });
};
