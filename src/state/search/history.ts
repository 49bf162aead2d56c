import type { SearchSnapshot } from '../../core/search/types';

/**
 * Bounded snapshot history: the last `recentMax` snapshots in full, and older ones thinned by
 * halving whenever they exceed `olderMax` — so memory stays bounded however long the run,
 * while the heat map and curves still span the whole run (older steps at coarser spacing).
 */
export interface SnapshotHistory {
  older: SearchSnapshot[];
  recent: SearchSnapshot[];
}

export const EMPTY_HISTORY: SnapshotHistory = { older: [], recent: [] };

export function pushSnapshot(
  h: SnapshotHistory,
  s: SearchSnapshot,
  recentMax = 500,
  olderMax = 500,
): SnapshotHistory {
  const recent = [...h.recent, s];
  let older = h.older;
  if (recent.length > recentMax) {
    older = [...older, ...recent.splice(0, recent.length - recentMax)];
    // Keep every other one, always keeping the first (step 1 anchors the x axis).
    if (older.length > olderMax) older = older.filter((_, i) => i % 2 === 0);
  }
  return { older, recent };
}

/** All kept snapshots in step order. */
export function historyList(h: SnapshotHistory): SearchSnapshot[] {
  return h.older.length ? [...h.older, ...h.recent] : h.recent;
}
