import { describe, expect, it } from 'vitest';
import { flatten, unflatten, weightedLoss, weightedMean } from './allReduce';
import { checksumFloat32 } from './checksum';
import { shardBatch, shardSizes } from './shard';
import type { PatchBatch } from '../data/patches';

describe('sharding', () => {
  it('splits a batch into contiguous, near-equal shards that cover it', () => {
    expect(shardSizes(16, 2)).toEqual([8, 8]);
    expect(shardSizes(5, 3)).toEqual([2, 2, 1]);
    expect(() => shardSizes(1, 2)).toThrow(/at least/);
    const p = 2;
    const r = 2;
    const b: PatchBatch = {
      batch: 3,
      patch: p,
      scale: r,
      lr: Float32Array.from({ length: 3 * p * p * 3 }, (_, i) => i),
      hr: Float32Array.from({ length: 3 * 16 * 3 }, (_, i) => 1000 + i),
      bic: Float32Array.from({ length: 3 * 16 * 3 }, (_, i) => -i),
    };
    const s = shardBatch(b, 2);
    expect(s.map((x) => x.batch)).toEqual([2, 1]);
    expect([...s[0].lr, ...s[1].lr]).toEqual([...b.lr]);
    expect([...s[0].hr, ...s[1].hr]).toEqual([...b.hr]);
    expect([...s[0].bic, ...s[1].bic]).toEqual([...b.bic]);
    expect(s[1].hr[0]).toBe(1000 + 2 * 48); // image 2's first HR value
    expect(s[0].lr.buffer).not.toBe(b.lr.buffer); // own buffers (transferable)
  });
});

describe('all-reduce', () => {
  it('weights shards by their image count (the gradient of the full-batch mean)', () => {
    // Loss = mean over images of x_i·θ: the gradient over 3 images is mean(x) = (1+2+6)/3.
    const g0 = Float32Array.of((1 + 2) / 2, 10); // shard of 2 images
    const g1 = Float32Array.of(6, 40); // shard of 1 image
    const m = weightedMean([g0, g1], [2, 1]);
    expect(m[0]).toBeCloseTo(3, 6);
    expect(m[1]).toBeCloseTo(20, 5);
    expect(weightedLoss([1.5, 6], [2, 1])).toBeCloseTo(3, 12);
  });
  it('one replica: the result is its gradient bit for bit', () => {
    const g = Float32Array.of(0.1, -3e-8, 7.25);
    expect([...weightedMean([g], [4])]).toEqual([...g]);
    expect(weightedLoss([0.3], [4])).toBe(0.3);
  });
  it('flatten/unflatten round-trip', () => {
    const a = [Float32Array.of(1, 2), Float32Array.of(), Float32Array.of(3)];
    const f = flatten(a);
    expect([...f]).toEqual([1, 2, 3]);
    expect(unflatten(f, [2, 0, 1]).map((x) => [...x])).toEqual([[1, 2], [], [3]]);
    expect(() => unflatten(f, [2])).toThrow();
  });
});

describe('checksum', () => {
  it('sees any bit: order, sign of zero, one ulp', () => {
    const a = Float32Array.of(1, 2, 0);
    const c = checksumFloat32([a]);
    expect(checksumFloat32([Float32Array.of(1, 2, 0)])).toBe(c);
    expect(checksumFloat32([Float32Array.of(2, 1, 0)])).not.toBe(c);
    expect(checksumFloat32([Float32Array.of(1, 2, -0)])).not.toBe(c);
    const u = new Float32Array(a);
    new Uint32Array(u.buffer)[1] += 1;
    expect(checksumFloat32([u])).not.toBe(c);
    expect(checksumFloat32([Float32Array.of(1), Float32Array.of(2, 0)])).not.toBe(c);
  });
});
