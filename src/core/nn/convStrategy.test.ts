import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { conv2d, conv2dFP, makeConv2d, type ConvStrategy } from './conv';
import { useWasm } from './testBackend';

beforeAll(useWasm);

/**
 * Which native kernels a conv runs is its strategy (conv.ts: 'auto' = one dense conv with a
 * block-diagonal filter below `denseBelow` channels per group, one conv per group otherwise;
 * filter layouts in JS on WASM; dw by conv or by im2col matMuls). The numeric tests in
 * conv.test.ts pass whichever path runs, so these count the kernels a forward and a
 * forward + backward launch: a wrong choice is a 4–20× slower step (see ConvStrategy), not a
 * wrong number.
 */
async function kernelCounts(f: () => tf.TensorContainer): Promise<Record<string, number>> {
  const info = await tf.profile(() => {
    const r = f();
    return r as tf.Tensor;
  });
  const counts: Record<string, number> = {};
  for (const k of info.kernels) counts[k.name] = (counts[k.name] ?? 0) + 1;
  return counts;
}

function operands(cg: number, groups: number, cout = 8): [tf.Tensor4D, tf.Tensor4D] {
  return [
    tf.randomNormal([1, 6, 6, cg * groups], 0, 1, 'float32', 1) as tf.Tensor4D,
    tf.randomNormal([3, 3, cg, cout], 0, 1, 'float32', 2) as tf.Tensor4D,
  ];
}

type ConvFn = typeof conv2d;
const forward = (op: ConvFn, x: tf.Tensor4D, w: tf.Tensor4D, groups: number) =>
  kernelCounts(() => op(x, w, { groups }));
const backward = (op: ConvFn, x: tf.Tensor4D, w: tf.Tensor4D, groups: number) =>
  kernelCounts(() =>
    tf.grads((a: tf.Tensor, b: tf.Tensor) =>
      tf.sum(op(a as tf.Tensor4D, b as tf.Tensor4D, { groups })),
    )([x, w]),
  );

describe('conv2d strategy: the kernels it launches', () => {
  it("'auto' runs one dense conv below 16 channels per group and one conv per group from 16", async () => {
    const [x2, w2] = operands(2, 4);
    const [x16, w16] = operands(16, 2);
    const [x4, w4] = operands(4, 1);
    expect((await forward(conv2d, x2, w2, 4)).Conv2D).toBe(1);
    expect((await forward(conv2d, x16, w16, 2)).Conv2D).toBe(2);
    expect((await forward(conv2d, x4, w4, 1)).Conv2D).toBe(1);
    // Forward, dx and dw each follow the mode: dense 1 + 1 + 1, split 2 + 2 + 2.
    expect((await backward(conv2d, x2, w2, 4)).Conv2D).toBe(3);
    expect((await backward(conv2d, x16, w16, 2)).Conv2D).toBe(6);
    tf.dispose([x2, w2, x16, w16, x4, w4]);
  });

  it('denseBelow moves the threshold; an explicit mode overrides it; groups = 1 is one conv', async () => {
    const [x2, w2] = operands(2, 4);
    const [x16, w16] = operands(16, 2);
    const split = makeConv2d({ groups: 'split', filterGrad: 'conv' });
    const dense = makeConv2d({ groups: 'dense', filterGrad: 'conv' });
    const wide = makeConv2d({ groups: 'auto', denseBelow: 32, filterGrad: 'conv' });
    const narrow = makeConv2d({ groups: 'auto', denseBelow: 2, filterGrad: 'conv' });
    expect((await forward(split, x2, w2, 4)).Conv2D).toBe(4);
    expect((await backward(split, x2, w2, 4)).Conv2D).toBe(12);
    expect((await forward(dense, x16, w16, 2)).Conv2D).toBe(1);
    expect((await forward(wide, x16, w16, 2)).Conv2D).toBe(1);
    // cg = denseBelow is not below it.
    expect((await forward(narrow, x2, w2, 4)).Conv2D).toBe(4);
    const [x4, w4] = operands(4, 1);
    for (const op of [split, dense]) {
      const c = await backward(op, x4, w4, 1);
      expect(c.Conv2D).toBe(3);
      expect(c.SplitV).toBeUndefined();
    }
    tf.dispose([x2, w2, x16, w16, x4, w4]);
  });

  it('builds the re-laid-out filters in JS on WASM unless told not to (no Multiply by a mask)', async () => {
    const [x, w] = operands(2, 4);
    const host = await backward(conv2d, x, w, 4);
    const tensors = await backward(
      makeConv2d({ groups: 'auto', filterGrad: 'conv', hostLayouts: false }),
      x,
      w,
      4,
    );
    // The one-hot block mask (denseFilter, blockDiagonal) is a Multiply; in JS there is none
    // besides the sum's own gradient.
    expect((tensors.Multiply ?? 0) - (host.Multiply ?? 0)).toBeGreaterThanOrEqual(2);
    tf.dispose([x, w]);
  });

  it("filterGrad 'conv' computes dw with a conv, 'im2col' with matMuls", async () => {
    const [x, w] = operands(16, 2);
    const strategies: ConvStrategy[] = [
      { groups: 'auto', filterGrad: 'conv' },
      { groups: 'auto', filterGrad: 'im2col' },
    ];
    // One profile at a time: tf.profile records every kernel the engine runs meanwhile.
    const byConv = await backward(makeConv2d(strategies[0]), x, w, 2);
    const byIm2col = await backward(makeConv2d(strategies[1]), x, w, 2);
    expect(byConv.BatchMatMul).toBeUndefined();
    expect(byConv.Conv2D).toBe(6);
    expect(byIm2col.BatchMatMul).toBe(2);
    expect(byIm2col.Conv2D).toBe(4);
    tf.dispose([x, w]);
  });
});

describe('conv2dFP', () => {
  it('without a bias is the plain conv; at inference the bias is fused into the conv', async () => {
    const [x, w] = operands(4, 1);
    const b = tf.tensor1d([0.5, -1, 2, 0, 1, 3, -2, 0.25]);
    const plain = conv2d(x, w);
    const noBias = conv2dFP(x, w);
    expect(Array.from(await noBias.data())).toEqual(Array.from(await plain.data()));
    const train = conv2dFP(x, w, b);
    const inf = conv2dFP(x, w, b, { inference: true });
    const dt = await train.data();
    const di = await inf.data();
    for (let i = 0; i < dt.length; i++) expect(Math.abs(di[i] - dt[i])).toBeLessThan(1e-5);
    const fused = await kernelCounts(() => conv2dFP(x, w, b, { inference: true }));
    expect(fused.FusedConv2D).toBe(1);
    expect(fused.Add).toBeUndefined();
    const unfused = await kernelCounts(() => conv2dFP(x, w, b));
    expect(unfused.FusedConv2D).toBeUndefined();
    expect(unfused.Add).toBe(1);
    tf.dispose([x, w, b, plain, noBias, train, inf]);
  });
});
