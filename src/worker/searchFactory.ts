import type { SearchFactory } from './searchRunner';

/** Builds the core search over the page's decoded images (wired to src/core/search/search.ts). */
export const createSearch: SearchFactory = async () => {
  throw new Error(
    'the search engine (src/core/search/search.ts) is not available in this build yet',
  );
};
