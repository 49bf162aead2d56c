import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { useWasm } from '../nn/testBackend';
import { Rng } from '../rng';
import {
  evalCellForward,
  evalNetworkForward,
  t4,
  type T4,
  type Values,
} from '../testing/jsReference';
import type { SrbnasConfig } from './config';
import { createEvalCell } from './evalCell';
import { buildNetwork, type SRNetwork } from './network';
import { Params } from '../nn/params';
import { MIXED_GENOTYPE, randomizeWeights } from './testUtil';

/**
 * Assembly tests of the evaluation network (docs/design.md §2): the parts are tested elsewhere;
 * here the whole graph is compared with an independent float64 computation
 * (src/core/testing/jsReference.ts), so wiring mistakes (a missing shortcut, s0/s1 swapped, a
 * node summing one input) show up as a wrong output.
 */
beforeAll(useWasm);

const BINARY = { ede: { t: 1, k: 1 } };

function randomT4(n: number, h: number, w: number, c: number, seed: number): T4 {
  const rng = new Rng(seed);
  return t4(
    n,
    h,
    w,
    c,
    Array.from({ length: n * h * w * c }, () => rng.next()),
  );
}
const toTf = (x: T4) => tf.tensor4d(Float32Array.from(x.d), [x.n, x.h, x.w, x.c]);
const valuesOf = (net: SRNetwork): Values => {
  const byName = new Map(net.params.list().map((v) => [net.localName(v), v]));
  return (name) => {
    const v = byName.get(name);
    if (!v) throw new Error(`no variable ${name}`);
    return Float64Array.from(v.dataSync());
  };
};
const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};

describe('evaluation network, assembled', () => {
  // 3 cells, so the third cell sees s0 = the first cell's output: a swap of the two inputs, or
  // an s0 that is not advanced, changes the output.
  const config: SrbnasConfig = {
    arch: 'srbnas',
    scale: 2,
    genotype: MIXED_GENOTYPE,
    cells: 3,
    channels: 4,
    groups: 2,
  };

  it('equals an independent float64 forward pass with set weights', () => {
    const net = buildNetwork(config, 3);
    // Every variable set (the tail is zero at init, which would hide everything before it).
    randomizeWeights(net, 11, 0.3);
    const lr = randomT4(1, 6, 5, 3, 1);
    const bic = randomT4(1, 12, 10, 3, 2);
    const got = tf.tidy(() => net.forward(toTf(lr), toTf(bic), BINARY).dataSync());
    const want = evalNetworkForward(lr, bic, valuesOf(net), config);
    expect(got.length).toBe(want.d.length);
    // The output is O(1); float32 against float64 differs by ~1e-6.
    expect(maxAbsDiff(got, want.d)).toBeLessThan(1e-4);
    net.dispose();
  });

  it('starts as exactly the bicubic input (zero tail: the image-level shortcut alone)', () => {
    const net = buildNetwork(config, 4);
    const lr = randomT4(1, 6, 5, 3, 3);
    const bic = randomT4(1, 12, 10, 3, 4);
    const got = tf.tidy(() => net.forward(toTf(lr), toTf(bic), BINARY).dataSync());
    expect(Array.from(got)).toEqual(Array.from(Float32Array.from(bic.d)));
    net.dispose();
  });
});

describe('evaluation cell, assembled', () => {
  it('node sums and + s1: with identity ops, node j is the sum of its two inputs', () => {
    // s = 0 turns every binary op into the identity (x + 0·branch), so the states are plain sums
    // of s0 and s1 along MIXED_GENOTYPE's edges:
    //   node2 = s1 + s0, node3 = node2 + s0, node4 = node3 + s1, node5 = node4 + node2.
    const C = 4;
    const params = new Params(1);
    const cell = createEvalCell(params, 'sumsCell', MIXED_GENOTYPE, C, 2);
    for (const [name, v] of params.vars) if (name.endsWith('/s')) v.assign(tf.zeros(v.shape));
    const s0 = randomT4(1, 3, 3, C, 5);
    const s1 = randomT4(1, 3, 3, C, 6);
    const expectState = (node: number, a: number, b: number) => {
      // Fuse = identity on node `node`'s block of the concat, zero bias: out = node + s1.
      const w = new Float32Array(4 * C * C);
      for (let q = 0; q < C; q++) w[((node - 2) * C + q) * C + q] = 1;
      params.vars.get('sumsCell/fuse/w')!.assign(tf.tensor4d(w, [1, 1, 4 * C, C]));
      const got = tf.tidy(() => cell.apply(toTf(s0), toTf(s1), BINARY).dataSync());
      const want = s0.d.map((x0, i) => a * x0 + (b + 1) * s1.d[i]);
      expect(maxAbsDiff(got, want), `node ${node}`).toBeLessThan(1e-5);
    };
    expectState(2, 1, 1); // s0 + s1
    expectState(3, 2, 1); // 2 s0 + s1
    expectState(4, 2, 2); // 2 s0 + 2 s1
    expectState(5, 3, 3); // 3 s0 + 3 s1
    params.dispose();
  });

  it('equals the float64 cell with every variable set', () => {
    const params = new Params(2);
    const cell = createEvalCell(params, 'refCell', MIXED_GENOTYPE, 4, 2);
    const rng = new Rng(9);
    for (const v of params.list())
      v.assign(
        tf.tensor(
          Float32Array.from({ length: v.size }, () => rng.normal() * 0.3),
          v.shape,
        ),
      );
    const s0 = randomT4(1, 5, 4, 4, 7);
    const s1 = randomT4(1, 5, 4, 4, 8);
    const got = tf.tidy(() => cell.apply(toTf(s0), toTf(s1), BINARY).dataSync());
    const values: Values = (n) => Float64Array.from(params.vars.get(n)!.dataSync());
    const want = evalCellForward(s0, s1, values, 'refCell', MIXED_GENOTYPE, 2);
    expect(maxAbsDiff(got, want.d)).toBeLessThan(1e-4);
    params.dispose();
  });
});
