import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { useWasm } from '../nn/testBackend';
import { Params } from '../nn/params';
import { Rng } from '../rng';
import { supernetForward, t4, type T4, type Values } from '../testing/jsReference';
import { createCell } from './cell';
import { Supernet, type SupernetConfig } from './supernet';
import { DEFAULT_SEARCH_CONFIG, PRIMITIVES, type SearchConfig } from './types';
import { Search } from './search';
import { searchDataFromImages } from '../data/patches';
import { syntheticImage } from '../model/testUtil';

/**
 * Assembly tests of the supernet (docs/design.md §2): the whole forward pass against an
 * independent float64 computation (src/core/testing/jsReference.ts) with every weight, α and β
 * set, and the cell's node sums with identity ops and β = 0 (gates 2/n_j) in closed form.
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
const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};
const maxAbs = (a: ArrayLike<number>) => maxAbsDiff(a, new Float64Array(a.length));
function setAll(vars: tf.Variable[], seed: number, std: number) {
  const rng = new Rng(seed);
  for (const v of vars)
    v.assign(
      tf.tensor(
        Float32Array.from({ length: v.size }, () => rng.normal() * std),
        v.shape,
      ),
    );
}

describe('supernet, assembled', () => {
  // 3 cells: the third cell's s0 is the first cell's output. k = 2: half the channels bypass.
  const config: SupernetConfig = { scale: 2, channels: 8, cells: 3, k: 2, groups: 2, seed: 5 };

  it('equals an independent float64 forward pass with set weights, α and β', () => {
    const net = new Supernet(config);
    setAll(net.weights.list(), 21, 0.3);
    // α and β far from their init, so wrong softmax rows or gate priors show.
    setAll(net.arch.list(), 22, 1);
    const values: Values = (name) => {
      const v = net.weights.vars.get(net.prefix + name) ?? net.arch.vars.get(net.prefix + name);
      if (!v) throw new Error(`no variable ${name}`);
      return Float64Array.from(v.dataSync());
    };
    const lr = randomT4(1, 5, 4, 3, 1);
    const bic = randomT4(1, 10, 8, 3, 2);
    const got = tf.tidy(() => net.forward(toTf(lr), toTf(bic), BINARY).dataSync());
    const want = supernetForward(lr, bic, values, config);
    expect(got.length).toBe(want.d.length);
    // float32 against float64: relative error ~1e-7 of the largest output.
    expect(maxAbsDiff(got, want.d) / maxAbs(want.d)).toBeLessThan(1e-5);
    net.dispose();
  });
});

describe('supernet cell, assembled', () => {
  it('node sums with gates 2/n_j and + s1, in closed form (identity ops, β = 0)', () => {
    // p = one-hot skip_connect and k = 1 make every mixed op the identity; at β = 0 the gates
    // are 1 (node 2), 2/3, 2/4, 2/5. With A = s0 + s1:
    //   node2 = A, node3 = 2/3 (A + node2) = 4A/3, node4 = 1/2 (A + node2 + node3) = 5A/3,
    //   node5 = 2/5 (A + node2 + node3 + node4) = 2A.
    const C = 4;
    const params = new Params(1);
    const cell = createCell(params, 'sumsSupernetCell', C, 1, 2);
    const s0 = randomT4(1, 3, 3, C, 5);
    const s1 = randomT4(1, 3, 3, C, 6);
    const skip = PRIMITIVES.indexOf('skip_connect');
    const p = Array.from({ length: 14 }, () => tf.oneHot(skip, PRIMITIVES.length).toFloat());
    const rows = p as tf.Tensor1D[];
    // The gates edgeGates gives at β = 0, one per edge in DARTS order (node j has j + 2 edges).
    const gates = [2, 3, 4, 5].flatMap((n) =>
      Array.from({ length: n }, () => tf.scalar(n === 2 ? 1 : 2 / n)),
    );
    for (const [node, factor] of [
      [2, 1],
      [3, 4 / 3],
      [4, 5 / 3],
      [5, 2],
    ] as const) {
      const w = new Float32Array(4 * C * C);
      for (let q = 0; q < C; q++) w[((node - 2) * C + q) * C + q] = 1;
      params.vars.get('sumsSupernetCell/fuse/w')!.assign(tf.tensor4d(w, [1, 1, 4 * C, C]));
      const got = tf.tidy(() => cell.apply(toTf(s0), toTf(s1), rows, gates, BINARY).dataSync());
      const want = s0.d.map((x0, i) => factor * (x0 + s1.d[i]) + s1.d[i]);
      expect(maxAbsDiff(got, want), `node ${node}`).toBeLessThan(1e-5);
    }
    tf.dispose([...p, ...gates]);
    params.dispose();
  });
});

describe('search, assembled', () => {
  const images = [0, 1, 2, 3].map((i) => ({ name: `s${i}`, image: syntheticImage(40, 32, i) }));
  const config: SearchConfig = {
    ...DEFAULT_SEARCH_CONFIG,
    scale: 2,
    channels: 8,
    k: 2,
    groups: 2,
    cells: 1,
    batch: 2,
    patch: 8,
    epochs: 4,
    stepsPerEpoch: 1,
    warmupEpochs: 1,
    regEpochs: 4,
    tMin: 0.1,
    tMax: 10,
    wLr: 2e-3,
    archLr: 5e-4,
    archWeightDecay: 1e-3,
    seed: 2,
  };
  const data = () =>
    searchDataFromImages(images, { scale: 2, patch: 8, batch: 2, seed: config.seed });

  it('the supernet receives the EDE (t, k) of the current epoch, in the w-step and the α-step', async () => {
    const search = new Search(config, data());
    const seen: number[] = [];
    const net = search.supernet as { forward: Supernet['forward'] };
    const forward = net.forward.bind(search.supernet);
    net.forward = (lr, bic, ctx) => {
      // t and k together: t = 10^(−1 + 2e/4), k = max(1/t, 1), so k·t = max(1, t).
      expect(ctx.ede.k).toBeCloseTo(Math.max(1 / ctx.ede.t, 1), 12);
      seen.push(ctx.ede.t);
      return forward(lr, bic, ctx);
    };
    while (!search.done) await search.step();
    search.dispose();
    // Epoch 0 is warm-up (w-step only); epochs 1–3 have a w-step and an α/β step each.
    const t = (e: number) => 10 ** (-1 + (2 * e) / 4);
    const want = [t(0), t(1), t(1), t(2), t(2), t(3), t(3)];
    expect(seen.length).toBe(want.length);
    seen.forEach((v, i) => expect(v, `forward ${i}`).toBeCloseTo(want[i], 12));
  });

  it('w: Adam(wLr, 0.9, 0.999, 1e-8); α, β: Adam(archLr, 0.5, 0.999, 1e-8) (design §2.9)', () => {
    const search = new Search(config, data());
    const opts = search as unknown as { wOpt: tf.AdamOptimizer; archOpt: tf.AdamOptimizer };
    expect(opts.wOpt.getConfig()).toEqual({
      learningRate: 2e-3,
      beta1: 0.9,
      beta2: 0.999,
      epsilon: 1e-8,
    });
    expect(opts.archOpt.getConfig()).toEqual({
      learningRate: 5e-4,
      beta1: 0.5,
      beta2: 0.999,
      epsilon: 1e-8,
    });
    search.dispose();
  });

  it('the α/β step applies weight decay: zero gradients still pull α towards 0', () => {
    const search = new Search(config, data());
    const { alpha, beta } = search.supernet;
    const a0 = alpha.dataSync().slice();
    const zeros = { [alpha.name]: tf.zerosLike(alpha), [beta.name]: tf.zerosLike(beta) };
    search.applyArchGrads(zeros);
    tf.dispose(Object.values(zeros));
    // Adam's first step on g = wd·α is archLr · g / (|g| + eps) (tfjs rounds differently in
    // the last digits; without the decay α would not move at all).
    const a1 = alpha.dataSync();
    for (let i = 0; i < a0.length; i++) {
      const g = 1e-3 * a0[i];
      expect(a1[i], `α[${i}]`).toBeCloseTo(a0[i] - (5e-4 * g) / (Math.abs(g) + 1e-8), 7);
    }
    expect(Array.from(beta.dataSync())).toEqual(new Array(14).fill(0));
    search.dispose();
  });
});
