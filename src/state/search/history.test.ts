import { describe, expect, it } from 'vitest';
import { EMPTY_HISTORY, historyList, pushSnapshot } from './history';
import type { SearchSnapshot } from '../../core/search/types';

const snap = (step: number) => ({ step }) as SearchSnapshot;

describe('snapshot history', () => {
  it('keeps the last N in full and thins older ones, staying bounded and ordered', () => {
    let h = EMPTY_HISTORY;
    for (let i = 1; i <= 5000; i++) h = pushSnapshot(h, snap(i), 50, 40);
    const steps = historyList(h).map((s) => s.step);
    expect(h.recent.map((s) => s.step)).toEqual(Array.from({ length: 50 }, (_, i) => 4951 + i));
    expect(h.older.length).toBeLessThanOrEqual(40);
    expect(h.older.length).toBeGreaterThan(10);
    expect(steps[0]).toBe(1);
    for (let i = 1; i < steps.length; i++) expect(steps[i]).toBeGreaterThan(steps[i - 1]);
  });

  it('does not thin while the run is short', () => {
    let h = EMPTY_HISTORY;
    for (let i = 1; i <= 30; i++) h = pushSnapshot(h, snap(i), 50, 40);
    expect(historyList(h).map((s) => s.step)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
  });
});
