import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { conv2d, conv2dFP, makeConv2d, type ConvStrategy } from './conv';
import { Rng } from '../rng';
import { expectClose, randArray, reference, type Shape4 } from './convReference';
import { useWasm } from './testBackend';

beforeAll(useWasm);

const STRATEGIES: ConvStrategy[] = [
  { groups: 'split', filterGrad: 'im2col' },
  { groups: 'split', filterGrad: 'conv' },
  { groups: 'dense', filterGrad: 'im2col' },
  { groups: 'dense', filterGrad: 'conv' },
  // The tensor-op filter layouts (what WebGL/WebGPU run); the ones above use the JS layouts.
  { groups: 'split', filterGrad: 'conv', hostLayouts: false },
  { groups: 'dense', filterGrad: 'conv', hostLayouts: false },
];

describe('conv2d (grouped, dilated, own gradient)', () => {
  const s: Shape4 = { n: 2, h: 7, w: 6, c: 8 };
  const cout = 8;
  const cases: [number, number, number][] = [];
  for (const k of [1, 3, 5, 7])
    for (const groups of [1, 4]) for (const d of [1, 2]) cases.push([k, groups, d]);

  for (const strategy of STRATEGIES) {
    const op = makeConv2d(strategy);
    for (const [k, groups, d] of cases) {
      it(`forward, dx, dw match the naive reference: k=${k} g=${groups} d=${d} ${strategy.groups}/${strategy.filterGrad}${strategy.hostLayouts === false ? '/tensor' : ''}`, async () => {
        const rng = new Rng(1000 * k + 10 * groups + d);
        const x = randArray(s.n * s.h * s.w * s.c, rng);
        const wt = randArray(k * k * (s.c / groups) * cout, rng);
        const up = randArray(s.n * s.h * s.w * cout, rng);
        const ref = reference(x, s, wt, k, cout, groups, d, up);
        const xT = tf.tensor4d(Float32Array.from(x), [s.n, s.h, s.w, s.c]);
        const wT = tf.tensor4d(Float32Array.from(wt), [k, k, s.c / groups, cout]);
        const upT = tf.tensor4d(Float32Array.from(up), [s.n, s.h, s.w, cout]);
        const y = op(xT, wT, { groups, dilation: d as 1 | 2 });
        expectClose(await y.data(), ref.y, 1e-5);
        const g = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
          tf.sum(
            tf.mul(op(a as tf.Tensor4D, b as tf.Tensor4D, { groups, dilation: d as 1 | 2 }), upT),
          ),
        );
        const [dx, dw] = g([xT, wT]);
        expect(dx.shape).toEqual(xT.shape);
        expect(dw.shape).toEqual(wT.shape);
        expectClose(await dx.data(), ref.dx, 1e-5);
        expectClose(await dw.data(), ref.dw, 1e-5);
        tf.dispose([xT, wT, upT, y, dx, dw]);
      });
    }
  }

  it('input and weight gradients match central differences (k=5, g=4, d=2)', async () => {
    const k = 5;
    const groups = 4;
    const d = 2;
    const rng = new Rng(99);
    const xA = Float32Array.from(randArray(s.n * s.h * s.w * s.c, rng));
    const wA = Float32Array.from(randArray(k * k * (s.c / groups) * cout, rng));
    const upT = tf.tensor4d(Float32Array.from(randArray(s.n * s.h * s.w * cout, rng)), [
      s.n,
      s.h,
      s.w,
      cout,
    ]);
    const loss = (xa: Float32Array, wa: Float32Array): number =>
      tf.tidy(() => {
        const y = conv2d(
          tf.tensor4d(xa, [s.n, s.h, s.w, s.c]),
          tf.tensor4d(wa, [k, k, s.c / groups, cout]),
          {
            groups,
            dilation: d,
          },
        );
        // A nonlinear loss so the check is not only about a bilinear form.
        return tf.sum(tf.mul(tf.tanh(tf.mul(y, 0.2)), upT)).dataSync()[0];
      });
    const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
      tf.sum(
        tf.mul(
          tf.tanh(tf.mul(conv2d(a as tf.Tensor4D, b as tf.Tensor4D, { groups, dilation: d }), 0.2)),
          upT,
        ),
      ),
    )([tf.tensor4d(xA, [s.n, s.h, s.w, s.c]), tf.tensor4d(wA, [k, k, s.c / groups, cout])]);
    const dxA = await dx.data();
    const dwA = await dw.data();
    const eps = 1e-2;
    const check = (arr: Float32Array, analytic: ArrayLike<number>, which: 'x' | 'w'): void => {
      for (let t = 0; t < 12; t++) {
        const i = rng.int(arr.length);
        const orig = arr[i];
        arr[i] = orig + eps;
        const lp = which === 'x' ? loss(arr, wA) : loss(xA, arr);
        arr[i] = orig - eps;
        const lm = which === 'x' ? loss(arr, wA) : loss(xA, arr);
        arr[i] = orig;
        const num = (lp - lm) / (2 * eps);
        expect(Math.abs(num - analytic[i])).toBeLessThan(2e-2 * Math.max(1, Math.abs(analytic[i])));
      }
    };
    check(xA, dxA, 'x');
    check(wA, dwA, 'w');
  });

  it('skipInputGrad / skipFilterGrad return zeros for that input and leave the other exact', async () => {
    const rng = new Rng(5);
    const sh: Shape4 = { n: 1, h: 6, w: 5, c: 8 };
    const x = randArray(sh.n * sh.h * sh.w * sh.c, rng);
    const wt = randArray(3 * 3 * 2 * 8, rng);
    const up = randArray(sh.n * sh.h * sh.w * 8, rng);
    const xT = tf.tensor4d(Float32Array.from(x), [sh.n, sh.h, sh.w, sh.c]);
    const wT = tf.tensor4d(Float32Array.from(wt), [3, 3, 2, 8]);
    const upT = tf.tensor4d(Float32Array.from(up), [sh.n, sh.h, sh.w, 8]);
    const grads = (opts: object) =>
      tf.grads((a: tf.Tensor, b: tf.Tensor) =>
        tf.sum(tf.mul(conv2d(a as tf.Tensor4D, b as tf.Tensor4D, { groups: 4, ...opts }), upT)),
      )([xT, wT]);
    const [dx, dw] = grads({});
    const [dxNoW, dwNoW] = grads({ skipFilterGrad: true });
    const [dxNoX, dwNoX] = grads({ skipInputGrad: true });
    expect(Array.from(await dxNoW.data())).toEqual(Array.from(await dx.data()));
    expect(Array.from(await dwNoX.data())).toEqual(Array.from(await dw.data()));
    expect((await dwNoW.data()).every((v) => v === 0)).toBe(true);
    expect((await dxNoX.data()).every((v) => v === 0)).toBe(true);
    expect((await dw.data()).some((v) => v !== 0)).toBe(true);
    tf.dispose([xT, wT, upT, dx, dw, dxNoW, dwNoW, dxNoX, dwNoX]);
  });

  it('conv2dFP adds the bias and does not leak tensors over repeated grad steps', async () => {
    const x = tf.randomNormal([1, 5, 5, 4]) as tf.Tensor4D;
    const w = tf.variable(tf.randomNormal([3, 3, 4, 6]));
    const b = tf.variable(tf.tensor1d([1, 2, 3, 4, 5, 6]));
    const y0 = conv2d(x, w as unknown as tf.Tensor4D);
    const y1 = conv2dFP(x, w as unknown as tf.Tensor4D, b as unknown as tf.Tensor1D);
    expectClose(
      await tf.sub(y1, y0).data(),
      Array.from({ length: 25 * 6 }, (_, i) => (i % 6) + 1),
      1e-6,
    );
    tf.dispose([y0, y1]);
    const step = (): void => {
      const { value, grads } = tf.variableGrads(() =>
        tf.mean(tf.square(conv2dFP(x, w as unknown as tf.Tensor4D, b as unknown as tf.Tensor1D))),
      );
      tf.dispose([value, ...Object.values(grads)]);
    };
    step();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) step();
    expect(tf.memory().numTensors).toBe(before);
  });
});
