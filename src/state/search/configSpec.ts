import { DEMO_CONFIG } from '../../core/search/presets';
import {
  PAPER_MU_RHO,
  SEARCH_PARAMS,
  searchConfigProblems,
  type SearchParam,
} from '../../core/search/params';
import type { SearchConfig } from '../../core/search/types';

/**
 * Browser default: the `demo` preset (src/core/search/presets.ts), a search that finishes in
 * minutes on two CPU cores with the data-driven α settings; `paper` and `standard` are one
 * click away (the paper's search takes hours even on a GPU).
 */
export const BROWSER_DEFAULT_CONFIG: SearchConfig = DEMO_CONFIG;

/** The settings the page shows and keeps in its URL, in display order (the table's page rows). */
export const PAGE_PARAMS: readonly SearchParam[] = SEARCH_PARAMS.filter((p) => p.page);

/** The paper's (μ, ρ) pairs (Table 4), as buttons. */
export const MU_RHO_PRESETS: { mu: number; rho: number; label: string }[] = PAPER_MU_RHO.map(
  ({ mu, rho }) => ({ mu, rho, label: `μ ${mu} / ρ ${rho}` }),
);

/** Problems that keep Play disabled (listed next to it): the table's one validator. */
export function configProblems(c: SearchConfig): string[] {
  return searchConfigProblems(c).map((p) => p.message);
}
