import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { useWasm } from '../nn/testBackend';
import { Params } from '../nn/params';
import { createBinaryOp } from '../nn/binaryOp';
import { channelShuffle } from '../nn/channelShuffle';
import { createMixedOp } from './mixedOp';
import { createCell } from './cell';
import { Supernet } from './supernet';
import { opParamCount } from './genotype';
import { primitiveSpec } from './searchSpace';
import { PRIMITIVES } from './types';
import { prepareImage } from '../data/patches';
import { toFloat } from '../image/image';
import { syntheticImage } from '../model/testUtil';

beforeAll(useWasm);

const ctx = { ede: { t: 1, k: 1 } };
const rand = (shape: number[], seed: number) => {
  const p = new Params(seed);
  const v = p.variable('x', shape, { kind: 'normal', std: 1 });
  const t = v.clone();
  p.dispose();
  return t;
};
const oneHot = (o: number) => tf.oneHot(o, PRIMITIVES.length).toFloat() as tf.Tensor1D;

describe('mixed op (PC-DARTS partial channels)', () => {
  it('p = one-hot skip_connect: k = 1 gives x, k = 2 gives channel_shuffle(x, 2)', () => {
    const x = rand([2, 6, 6, 8], 1) as tf.Tensor4D;
    const skip = oneHot(PRIMITIVES.indexOf('skip_connect'));
    const m1 = createMixedOp(new Params(1), 'm1', 8, 1, 2);
    expect(Array.from(m1.apply(x, skip, ctx).dataSync())).toEqual(Array.from(x.dataSync()));
    const m2 = createMixedOp(new Params(1), 'm2', 8, 2, 2);
    expect(Array.from(m2.apply(x, skip, ctx).dataSync())).toEqual(
      Array.from(channelShuffle(x, 2).dataSync()),
    );
  });

  it('only the first C/k channels are mixed; the rest pass through (before the shuffle)', () => {
    const x = rand([1, 5, 5, 8], 2) as tf.Tensor4D;
    const params = new Params(3);
    const m = createMixedOp(params, 'm', 8, 4, 2);
    const p = tf.softmax(tf.tensor1d([0.3, -0.2, 0.1, 0.5, 0, 0.2])) as tf.Tensor1D;
    const y = m.apply(x, p, ctx);
    // Undo channel_shuffle(4) on 8 channels: shuffle with C/k = 2 groups is its inverse.
    const unshuffled = channelShuffle(y, 2);
    const bypass = tf.slice(unshuffled, [0, 0, 0, 2], [1, 5, 5, 6]);
    expect(Array.from(bypass.dataSync())).toEqual(
      Array.from(tf.slice(x, [0, 0, 0, 2], [1, 5, 5, 6]).dataSync()),
    );
    // The mixed part is Σ p_o op_o(x[..., :2]).
    const xa = tf.slice(x, [0, 0, 0, 0], [1, 5, 5, 2]) as tf.Tensor4D;
    const pv = p.dataSync();
    let want = tf.mul(pv[5], xa);
    PRIMITIVES.forEach((prim, o) => {
      const s = primitiveSpec(prim, 2);
      if (s.kind === 'conv')
        want = tf.add(
          want,
          tf.mul(pv[o], createBinaryOp(params, `m/${prim}`, 2, s.spec).apply(xa, ctx)),
        );
    });
    const got = tf.slice(unshuffled, [0, 0, 0, 0], [1, 5, 5, 2]);
    expect(tf.max(tf.abs(tf.sub(got, want))).dataSync()[0]).toBeLessThan(1e-5);
  });

  it('op parameter formula matches createBinaryOp', () => {
    for (const prim of PRIMITIVES) {
      const s = primitiveSpec(prim, 4);
      const n =
        s.kind === 'conv' ? createBinaryOp(new Params(1), `op_${prim}`, 64, s.spec).params : 0;
      expect(opParamCount(prim, 64, 4)).toBe(n);
    }
  });
});

describe('cell and supernet', () => {
  it('cell maps two C-channel states to one of the same shape', () => {
    const params = new Params(4);
    const cell = createCell(params, 'c', 8, 2, 2);
    const s0 = rand([2, 7, 7, 8], 5) as tf.Tensor4D;
    const s1 = rand([2, 7, 7, 8], 6) as tf.Tensor4D;
    const p = tf.unstack(tf.fill([14, 6], 1 / 6)) as tf.Tensor1D[];
    const g = tf.unstack(tf.ones([14])) as tf.Scalar[];
    expect(cell.apply(s0, s1, p, g, ctx).shape).toEqual([2, 7, 7, 8]);
    // 14 edges × 5 binary ops at C/k channels + the 1×1 fusion (w and b).
    const perEdge = PRIMITIVES.reduce((a, prim) => a + opParamCount(prim, 4, 2), 0);
    expect(params.count()).toBe(14 * perEdge + 4 * 8 * 8 + 8);
  });

  it('supernet output is [B, p·r, p·r, 3] and starts near the bicubic input', () => {
    // A real LR/HR pair (bicubic-downscaled synthetic photo) and its real bicubic enlargement,
    // as the data pipeline makes them. The untrained supernet adds a small residual (tail gain
    // TAIL_INIT_GAIN) to the image-level shortcut, so it starts about as good as bicubic.
    const net = new Supernet({ scale: 3, channels: 8, cells: 2, k: 2, groups: 2, seed: 1 });
    const im = prepareImage(syntheticImage(36, 30, 3), 3);
    const lr = tf.tensor4d(toFloat(im.lr).data, [1, im.lr.height, im.lr.width, 3]);
    const bic = tf.tensor4d(im.bic.data, [1, im.hr.height, im.hr.width, 3]);
    const hr = tf.tensor4d(toFloat(im.hr).data, [1, im.hr.height, im.hr.width, 3]);
    const y = net.forward(lr, bic, ctx);
    expect(y.shape).toEqual([1, 30, 36, 3]);
    const l1 = (a: tf.Tensor, b: tf.Tensor) => tf.mean(tf.abs(tf.sub(a, b))).dataSync()[0];
    const bicubicL1 = l1(bic, hr);
    // The residual is not zero (the tail is live) but small against bicubic's own error
    // (measured: residual 0.0064, SR L1 0.0212, bicubic L1 0.0203).
    expect(l1(y, bic)).toBeGreaterThan(0);
    expect(l1(y, bic)).toBeLessThan(0.5 * bicubicL1);
    expect(l1(y, hr)).toBeLessThan(1.1 * bicubicL1);
    tf.dispose([lr, bic, hr, y]);
    net.dispose();
  });

  it('the L1 loss has a nonzero gradient for every α, every learned β and every weight', () => {
    const net = new Supernet({ scale: 2, channels: 8, cells: 2, k: 2, groups: 2, seed: 2 });
    const lr = tf.randomUniform([2, 8, 8, 3], 0, 1, 'float32', 3) as tf.Tensor4D;
    const bic = tf.randomUniform([2, 16, 16, 3], 0, 1, 'float32', 4) as tf.Tensor4D;
    const hr = tf.randomUniform([2, 16, 16, 3], 0, 1, 'float32', 5) as tf.Tensor4D;
    const vars = [...net.weights.list(), ...net.arch.list()];
    const { value, grads } = tf.variableGrads(
      () => tf.mean(tf.abs(tf.sub(net.forward(lr, bic, ctx), hr))) as tf.Scalar,
      vars,
    );
    expect(Number.isFinite(value.dataSync()[0])).toBe(true);
    const zeroVars: string[] = [];
    for (const v of net.weights.list()) {
      const g = grads[v.name].dataSync();
      if (!g.some((x) => x !== 0)) zeroVars.push(v.name);
    }
    expect(zeroVars).toEqual([]);
    const ga = grads[net.alpha.name].dataSync();
    const zeroAlpha = Array.from(ga).filter((x) => x === 0).length;
    expect(zeroAlpha).toBe(0);
    const gb = Array.from(grads[net.beta.name].dataSync());
    // β of the first node's two edges is unused (their gates are fixed at 1).
    expect(gb.slice(0, 2)).toEqual([0, 0]);
    expect(gb.slice(2).every((x) => x !== 0)).toBe(true);
    net.dispose();
  });
});

describe('supernet α init and frozen weights', () => {
  const cfg = { scale: 2, channels: 4, cells: 1, k: 1, groups: 1, seed: 7 };
  const stats = (net: Supernet) => {
    const a = Array.from(net.alpha.dataSync());
    const std = Math.sqrt(a.reduce((s, x) => s + x * x, 0) / a.length);
    return { a, std };
  };

  it('α starts at std·N(0,1) with std 1e-3 by default, exactly uniform at 0; β at 0', () => {
    const def = new Supernet(cfg);
    const { a, std } = stats(def);
    expect(a.length).toBe(14 * PRIMITIVES.length);
    expect(new Set(a).size).toBe(a.length);
    expect(std).toBeGreaterThan(0.5e-3);
    expect(std).toBeLessThan(2e-3);
    expect(Array.from(def.beta.dataSync())).toEqual(new Array(14).fill(0));
    const wide = new Supernet({ ...cfg, alphaInitStd: 0.5 });
    expect(stats(wide).std).toBeGreaterThan(0.3);
    expect(stats(wide).std).toBeLessThan(0.7);
    // The same seeded draws, scaled.
    stats(wide).a.forEach((x, i) => expect(x).toBeCloseTo(a[i] * 500, 3));
    const flat = new Supernet({ ...cfg, alphaInitStd: 0 });
    expect(stats(flat).a).toEqual(new Array(14 * PRIMITIVES.length).fill(0));
    [def, wide, flat].forEach((n) => n.dispose());
  });

  it('with frozen weights (the α/β step) every conv filter gradient is skipped', () => {
    const net = new Supernet(cfg);
    const lr = tf.randomUniform([1, 6, 6, 3], 0, 1, 'float32', 3) as tf.Tensor4D;
    const bic = tf.randomUniform([1, 12, 12, 3], 0, 1, 'float32', 4) as tf.Tensor4D;
    const hr = tf.randomUniform([1, 12, 12, 3], 0, 1, 'float32', 5) as tf.Tensor4D;
    const nonzero = (frozenWeights: boolean) => {
      const { grads } = tf.variableGrads(
        () =>
          tf.mean(tf.abs(tf.sub(net.forward(lr, bic, { ...ctx, frozenWeights }), hr))) as tf.Scalar,
        [...net.weights.list(), ...net.arch.list()],
      );
      return Object.keys(grads)
        .filter((k) => grads[k].dataSync().some((x) => x !== 0))
        .map((k) => k.slice(net.prefix.length));
    };
    const all = nonzero(false);
    const frozen = nonzero(true);
    for (const name of ['head/w', 'body/w', 'tail/w', 'cell0/fuse/w', 'alpha', 'beta'])
      expect(all).toContain(name);
    expect(frozen).toContain('alpha');
    expect(frozen).toContain('beta');
    // No filter (…/w: the FP convs, the fusion and every binary op) gets a gradient.
    expect(all.filter((n) => n.endsWith('/w')).length).toBe(4 + 14 * 5);
    expect(frozen.filter((n) => n.endsWith('/w'))).toEqual([]);
    tf.dispose([lr, bic, hr]);
    net.dispose();
  });
});
