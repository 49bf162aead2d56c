import { checkImage } from '../core/image/image';
import { SearchSession } from '../core/search/session';
import type { SearchFactory } from './searchRunner';

/**
 * Opens the core search session over the page's decoded images (checked: a message that names
 * the image when one is not what it claims); the session prepares LR/HR/bicubic once and splits
 * them 50/50 (w-train / α-val).
 */
export const createSearch: SearchFactory = async (config, images, checkpoint) => {
  const list = images.map((im) => ({
    name: im.name,
    image: checkImage(im.image, `image ${im.name}`),
  }));
  return SearchSession.open(list, config, { checkpoint });
};
