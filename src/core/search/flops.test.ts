import { beforeAll, describe, expect, it } from 'vitest';
import { useWasm } from '../nn/testBackend';
import { Supernet } from './supernet';
import { searchStepFlops, supernetForwardFlops } from './flops';
import { DEFAULT_SEARCH_CONFIG } from './types';

beforeAll(useWasm);

describe('supernet FLOP count', () => {
  it('equals 2·pixels·Σ(conv filter sizes) of the built supernet (every conv runs at LR size)', () => {
    // Independent of the formula: read the filters the supernet actually holds. A grouped
    // filter [k, k, cin/g, cout] has exactly the MACs per pixel of its conv.
    const c = {
      ...DEFAULT_SEARCH_CONFIG,
      cells: 2,
      channels: 16,
      k: 4,
      groups: 2,
      batch: 3,
      patch: 5,
    };
    const net = new Supernet({ ...c, seed: 1 });
    let macsPerPixel = 0;
    for (const v of net.weights.list()) if (v.rank === 4) macsPerPixel += v.size;
    net.dispose();
    const f = supernetForwardFlops(c);
    expect(f.forward).toBe(2 * c.batch * c.patch * c.patch * macsPerPixel);
    expect(searchStepFlops(c)).toBe(6 * f.forward);
    expect(searchStepFlops(c, false)).toBe(3 * f.forward);
  });

  it('standard config (3 cells, C = 64, k = 8, g = 4, batch 16, patch 24, ×3): known value', () => {
    const f = supernetForwardFlops(DEFAULT_SEARCH_CONFIG);
    const px = 16 * 24 * 24;
    // Binary: 3 cells × 14 edges × (9 + 9 + 25 + 25 + 49) taps × (8/4 in) × 8 out.
    expect(Object.values(f.binary).reduce((a, b) => a + b, 0)).toBe(2 * px * 3 * 14 * 117 * 2 * 8);
    expect(f.fuse).toBe(2 * px * 3 * 256 * 64);
    expect(f.head + f.body + f.tail).toBe(2 * px * 9 * (3 * 64 + 64 * 64 + 64 * 27));
  });
});
