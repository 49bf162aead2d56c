import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createBinaryOp } from './binaryOp';
import { channelShuffle } from './channelShuffle';
import { concatChannels, splitChannels } from './channels';
import { conv2d } from './conv';
import { edeSchedule } from './ede';
import { hostReadable } from './host';
import { Params } from './params';
import { stopGradient } from './stopGradient';
import { useWasm } from './testBackend';

/** Edges of the nn building blocks: refusals, rarely taken branches, parameter stores. */
beforeAll(useWasm);

const seq = (shape: [number, number, number, number]) =>
  tf.tensor4d(
    Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => i),
    shape,
  );

describe('refusals name the shapes at fault', () => {
  it('conv2d: odd square kernels, matching channels, divisible outputs', () => {
    const x = seq([1, 4, 4, 4]);
    expect(() => conv2d(x, seq([2, 2, 4, 4]))).toThrow(
      'conv2d: kernel must be odd and square, got 2×2',
    );
    expect(() => conv2d(x, seq([3, 1, 4, 4]))).toThrow('kernel must be odd and square, got 3×1');
    expect(() => conv2d(x, seq([3, 3, 2, 4]), { groups: 1 })).toThrow(
      'conv2d: input has 4 channels, filter expects 2×1 groups',
    );
    expect(() => conv2d(x, seq([3, 3, 1, 6]), { groups: 4 })).toThrow(
      'conv2d: 6 output channels not divisible by 4 groups',
    );
  });

  it('channel shuffles, splits and binary ops refuse channel counts that do not divide', () => {
    expect(() => channelShuffle(seq([1, 1, 1, 6]), 4)).toThrow(
      'channelShuffle: 6 channels not divisible by 4',
    );
    expect(() => splitChannels(seq([1, 1, 1, 6]), 4)).toThrow(
      'splitChannels: 6 not divisible by 4',
    );
    expect(() =>
      createBinaryOp(new Params(1), 'edgesOp6', 6, { kernel: 3, dilation: 1, groups: 4 }),
    ).toThrow('createBinaryOp(edgesOp6): 6 channels not divisible by 4 groups');
    const op = createBinaryOp(new Params(1), 'edgesOp8', 8, { kernel: 3, dilation: 1, groups: 4 });
    expect(() => op.apply(seq([1, 3, 3, 4]), { ede: { t: 1, k: 1 } })).toThrow(
      'edgesOp8: expected 8 channels, got 4',
    );
  });
});

describe('channel helpers', () => {
  it('one group is the input itself; wide unequal concats match tf.concat', async () => {
    const x = seq([1, 2, 2, 5]);
    expect(splitChannels(x, 1)[0]).toBe(x);
    expect(concatChannels([x])).toBe(x);
    // More than 32 channels in all and unequal widths: the tf.concat path.
    const a = seq([1, 2, 3, 30]);
    const b = tf.neg(seq([1, 2, 3, 6])) as tf.Tensor4D;
    const got = concatChannels([a, b]);
    expect(got.shape).toEqual([1, 2, 3, 36]);
    expect(Array.from(await got.data())).toEqual(Array.from(await tf.concat([a, b], 3).data()));
  });

  it('channelShuffle works on any rank (channels last)', async () => {
    const x = tf.tensor2d([[0, 1, 2, 3, 4, 5]]);
    expect(Array.from(await channelShuffle(x, 2).data())).toEqual([0, 3, 1, 4, 2, 5]);
    expect(channelShuffle(x, 2).shape).toEqual([1, 6]);
  });
});

describe('small pieces', () => {
  it('hostReadable: WASM and CPU memory is readable from JS, GPU memory is not', () => {
    expect(['wasm', 'cpu', 'webgl', 'webgpu'].map((b) => hostReadable(b))).toEqual([
      true,
      true,
      false,
      false,
    ]);
    expect(hostReadable()).toBe(true); // the tests run on WASM
  });

  it('stopGradient passes the value and sends a zero gradient back', async () => {
    const x = tf.tensor1d([1, -2, 3]);
    const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(stopGradient(t), t)))(x);
    // d/dx Σ sg(x)·x = sg(x) = x (the stopped factor contributes nothing).
    expect(Array.from(await g.data())).toEqual([1, -2, 3]);
    expect(Array.from(await stopGradient(x).data())).toEqual([1, -2, 3]);
  });

  it('edeSchedule clamps the epoch to [0, epochs] and treats 0 epochs as the end', () => {
    expect(edeSchedule(-3, 10)).toEqual(edeSchedule(0, 10));
    expect(edeSchedule(15, 10)).toEqual(edeSchedule(10, 10));
    expect(edeSchedule(0, 0).t).toBeCloseTo(10, 10);
    expect(edeSchedule(2, 4, 1, 100).t).toBeCloseTo(10, 10);
  });
});

describe('Params', () => {
  it('initialises each kind as asked, seeded, and returns the same variable for a name', async () => {
    const p = new Params(7);
    const ones = p.variable('paramsTest/ones', [3], { kind: 'ones' });
    const c = p.variable('paramsTest/c', [2], { kind: 'constant', value: 0.25 });
    const z = p.variable('paramsTest/z', [2], { kind: 'zeros' });
    const he = p.variable('paramsTest/he', [4000], { kind: 'heNormal', fanIn: 50 });
    const heg = p.variable('paramsTest/heg', [4000], { kind: 'heNormal', fanIn: 50, gain: 1 });
    const n = p.variable('paramsTest/n', [4000], { kind: 'normal', std: 3 });
    expect(Array.from(await ones.data())).toEqual([1, 1, 1]);
    expect(Array.from(await c.data())).toEqual([0.25, 0.25]);
    expect(Array.from(await z.data())).toEqual([0, 0]);
    const std = async (v: tf.Variable) => Math.sqrt(tf.moments(v).variance.dataSync()[0]);
    // He: √2/√fanIn by default, gain/√fanIn otherwise (4000 draws: within 5 %).
    expect(await std(he)).toBeCloseTo(Math.SQRT2 / Math.sqrt(50), 1);
    expect((await std(he)) / (Math.SQRT2 / Math.sqrt(50))).toBeGreaterThan(0.95);
    expect((await std(heg)) / (1 / Math.sqrt(50))).toBeLessThan(1.05);
    expect((await std(heg)) / (1 / Math.sqrt(50))).toBeGreaterThan(0.95);
    expect((await std(n)) / 3).toBeGreaterThan(0.95);
    expect((await std(n)) / 3).toBeLessThan(1.05);
    expect(p.variable('paramsTest/ones', [3], { kind: 'zeros' })).toBe(ones);
    expect(p.count()).toBe(3 + 2 + 2 + 3 * 4000);
    expect(p.list()).toHaveLength(6);
    const json = await p.toJSON();
    expect(json['paramsTest/c']).toEqual({ shape: [2], data: [0.25, 0.25] });
    // Same seed, same draws.
    const q = new Params(7);
    for (const [name, shape, init] of [
      ['paramsTest2/ones', [3], { kind: 'ones' }],
      ['paramsTest2/c', [2], { kind: 'constant', value: 0.25 }],
      ['paramsTest2/z', [2], { kind: 'zeros' }],
      ['paramsTest2/he', [4000], { kind: 'heNormal', fanIn: 50 }],
    ] as const)
      q.variable(name, [...shape], init);
    expect(Array.from(q.vars.get('paramsTest2/he')!.dataSync())).toEqual(Array.from(he.dataSync()));
    const before = tf.memory().numTensors;
    p.dispose();
    expect(tf.memory().numTensors).toBe(before - 6);
    expect(p.list()).toEqual([]);
    q.dispose();
  });
});
