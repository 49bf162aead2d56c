import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createBinaryOp, S_INIT, type OpContext } from './binaryOp';
import { edeSchedule } from './ede';
import { Params } from './params';
import { useWasm } from './testBackend';

beforeAll(useWasm);

const ctx: OpContext = { ede: edeSchedule(3, 10) };

function input(seed: number, shape: [number, number, number, number]): tf.Tensor4D {
  return tf.tidy(() => tf.randomNormal(shape, 0, 1, 'float32', seed) as tf.Tensor4D);
}

describe('createBinaryOp', () => {
  it('keeps the shape and counts its parameters', () => {
    const p = new Params(1);
    const op = createBinaryOp(p, 'e0/op', 16, { kernel: 5, dilation: 2, groups: 4 });
    const x = input(1, [2, 6, 6, 16]);
    expect(op.apply(x, ctx).shape).toEqual([2, 6, 6, 16]);
    expect(op.binaryParams).toBe(5 * 5 * 4 * 16);
    expect(op.params).toBe(5 * 5 * 4 * 16 + 16 + 16);
    expect(p.vars.has('e0/op/w') && p.vars.has('e0/op/tau') && p.vars.has('e0/op/s')).toBe(true);
    expect(Array.from(p.vars.get('e0/op/s')!.dataSync())).toEqual(
      new Array(16).fill(S_INIT).map(Math.fround),
    );
    p.dispose();
  });

  it('is the identity when s = 0 (pure residual)', async () => {
    const p = new Params(2);
    const op = createBinaryOp(p, 'op', 8, { kernel: 3, dilation: 1, groups: 4 });
    p.vars.get('op/s')!.assign(tf.zeros([8]));
    const x = input(2, [1, 5, 5, 8]);
    expect(Array.from(await op.apply(x, ctx).data())).toEqual(Array.from(await x.data()));
    p.dispose();
  });

  it('binary mode computes x + s·2^S·conv(sign(x−τ), sign(Ŵ))/√fanIn', async () => {
    const p = new Params(3);
    const c = 4;
    const op = createBinaryOp(p, 'op', c, { kernel: 3, dilation: 1, groups: 1 });
    p.vars.get('op/tau')!.assign(tf.tensor1d([0.1, -0.2, 0.3, 0]));
    p.vars.get('op/s')!.assign(tf.tensor1d([0.5, 1, -1, 2]));
    const x = input(3, [1, 4, 4, c]);
    const got = await op.apply(x, ctx).data();
    // Independent reference from plain tfjs ops (groups = 1, so tf.conv2d applies).
    const want = tf.tidy(() => {
      const w = p.vars.get('op/w')!;
      const wd = w.dataSync();
      const cg = c;
      const hat = new Float32Array(wd.length);
      const scale: number[] = [];
      for (let o = 0; o < c; o++) {
        const vals: number[] = [];
        for (let i = o; i < wd.length; i += c) vals.push(wd[i]);
        const m = vals.reduce((a, b) => a + b, 0) / vals.length;
        const sd = Math.sqrt(vals.reduce((a, b) => a + (b - m) ** 2, 0) / vals.length);
        let absMean = 0;
        for (let i = o; i < wd.length; i += c) {
          hat[i] = (wd[i] - m) / sd;
          absMean += Math.abs(hat[i]) / vals.length;
        }
        scale.push(Math.pow(2, Math.round(Math.log2(absMean))));
      }
      const bw = tf.tensor4d(
        Array.from(hat, (v) => (v >= 0 ? 1 : -1)),
        [3, 3, cg, c],
      );
      const xs = x.dataSync();
      const tau = [0.1, -0.2, 0.3, 0];
      const a = tf.tensor4d(
        Array.from(xs, (v, i) => (v - tau[i % c] >= 0 ? 1 : -1)),
        x.shape,
      );
      const y = tf.conv2d(a, bw, 1, 'same');
      const coef = [0.5, 1, -1, 2].map((sv, o) => (sv * scale[o]) / Math.sqrt(9 * c));
      return tf.add(x, tf.mul(y, tf.tensor1d(coef))).dataSync();
    });
    for (let i = 0; i < want.length; i++) expect(got[i]).toBeCloseTo(want[i], 4);
    p.dispose();
  });

  it('float mode computes x + s·conv(x − τ, Ŵ)/√fanIn (no signs, no 2^S)', async () => {
    const p = new Params(6);
    const c = 4;
    const op = createBinaryOp(p, 'op', c, { kernel: 3, dilation: 1, groups: 1 });
    const tau = [0.2, 0, -0.4, 0.1];
    const s = [1, -0.5, 2, 0.25];
    p.vars.get('op/tau')!.assign(tf.tensor1d(tau));
    p.vars.get('op/s')!.assign(tf.tensor1d(s));
    const x = input(7, [1, 4, 5, c]);
    const got = await op.apply(x, { ...ctx, mode: 'float' }).data();
    const want = tf.tidy(() => {
      const wd = p.vars.get('op/w')!.dataSync();
      const hat = new Float32Array(wd.length);
      for (let o = 0; o < c; o++) {
        const idx = Array.from({ length: 9 * c }, (_, j) => j * c + o);
        const m = idx.reduce((a, i) => a + wd[i], 0) / idx.length;
        const sd = Math.sqrt(idx.reduce((a, i) => a + (wd[i] - m) ** 2, 0) / idx.length);
        for (const i of idx) hat[i] = ((wd[i] - m) / sd) * (s[o] / Math.sqrt(9 * c));
      }
      const shifted = tf.sub(x, tf.tensor1d(tau)) as tf.Tensor4D;
      return tf.add(x, tf.conv2d(shifted, tf.tensor4d(hat, [3, 3, c, c]), 1, 'same')).dataSync();
    });
    for (let i = 0; i < want.length; i++) expect(got[i]).toBeCloseTo(want[i], 4);
    // Not the binary op: signs would make the branch piecewise constant in x.
    const bin = await op.apply(x, ctx).data();
    expect(Math.max(...Array.from(bin, (v, i) => Math.abs(v - got[i])))).toBeGreaterThan(0.01);
    p.dispose();
  });

  it('at inference equals the training forward and adds `add` to it', async () => {
    const p = new Params(7);
    const op = createBinaryOp(p, 'op', 8, { kernel: 3, dilation: 2, groups: 2 });
    p.vars.get('op/s')!.assign(tf.tensor1d([0.5, -1, 1, 2, 0.3, -0.2, 1.5, 1]));
    const x = input(8, [1, 6, 5, 8]);
    const add = input(9, [1, 6, 5, 8]);
    const train = await op.apply(x, ctx).data();
    const inf = await op.apply(x, { ...ctx, inference: true }).data();
    const infAdd = await op.apply(x, { ...ctx, inference: true }, add).data();
    const a = await add.data();
    for (let i = 0; i < train.length; i++) {
      expect(inf[i]).toBeCloseTo(train[i], 4);
      expect(infAdd[i]).toBeCloseTo(inf[i] + a[i], 4);
    }
    p.dispose();
  });

  it('sends gradients to w, τ and s in binary and float mode', () => {
    for (const mode of ['binary', 'float'] as const) {
      const p = new Params(4);
      const op = createBinaryOp(p, 'op', 8, { kernel: 7, dilation: 1, groups: 4 });
      const x = input(4, [2, 6, 6, 8]);
      const target = input(5, [2, 6, 6, 8]);
      const { value, grads } = tf.variableGrads(
        () => tf.mean(tf.abs(tf.sub(op.apply(x, { ...ctx, mode }), target))) as tf.Scalar,
        p.list(),
      );
      value.dispose();
      for (const key of ['op/w', 'op/tau', 'op/s']) {
        const g = grads[key];
        expect(g, `${mode} ${key}`).toBeDefined();
        expect(tf.sum(tf.abs(g)).dataSync()[0], `${mode} ${key}`).toBeGreaterThan(0);
      }
      tf.dispose(Object.values(grads));
      p.dispose();
    }
  });

  it('does not leak tensors over repeated apply + grad', () => {
    const p = new Params(5);
    const op = createBinaryOp(p, 'op', 16, { kernel: 3, dilation: 2, groups: 4 });
    const x = input(6, [2, 8, 8, 16]);
    const opt = tf.train.adam(1e-3);
    const step = (): void => {
      const cost = opt.minimize(
        () => tf.mean(tf.square(op.apply(x, ctx))) as tf.Scalar,
        true,
        p.list(),
      );
      cost?.dispose();
    };
    step();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) step();
    expect(tf.memory().numTensors).toBe(before);
    opt.dispose();
    p.dispose();
  });
});
