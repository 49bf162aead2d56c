import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BINCONV_KERNEL } from '../kernels/binconv';
import { binaryOpReference } from './binaryFold';
import type { OpContext } from './binaryOp';
import { edeSchedule } from './ede';
import { createPackedBinaryOp } from './packedBinaryOp';
import { Params } from './params';
import { Rng } from '../rng';
import { useWasm } from './testBackend';

beforeAll(useWasm);
afterAll(useWasm);

const INF: OpContext = { ede: edeSchedule(0, 1), inference: true };
const SPEC = { kernel: 3, dilation: 1, groups: 2 } as const;

/** A packed op with set signs, τ and c (what `srbnas pack` writes). */
function packedOp(p: Params, name: string, c: number, seed: number) {
  const op = createPackedBinaryOp(p, name, c, SPEC);
  const rng = new Rng(seed);
  const cg = c / SPEC.groups;
  const n = 9 * cg * c;
  p.vars.get(`${name}/wsign`)!.assign(
    tf.tensor4d(
      Array.from({ length: n }, () => (rng.normal() >= 0 ? 1 : -1)),
      [3, 3, cg, c],
    ),
  );
  p.vars
    .get(`${name}/tau`)!
    .assign(tf.tensor1d(Array.from({ length: c }, () => 0.3 * rng.normal())));
  p.vars.get(`${name}/scale`)!.assign(tf.tensor1d(Array.from({ length: c }, () => rng.normal())));
  return op;
}

const input = (seed: number, c: number) =>
  tf.randomNormal([1, 5, 6, c], 0, 1, 'float32', seed) as tf.Tensor4D;

function reference(p: Params, name: string, x: tf.Tensor4D): tf.Tensor4D {
  const v = (k: string) => p.vars.get(`${name}/${k}`)!;
  return binaryOpReference(x, v('tau'), v('wsign') as unknown as tf.Tensor4D, v('scale'), {
    groups: SPEC.groups,
    dilation: SPEC.dilation,
  });
}

async function kernelNames(f: () => tf.Tensor): Promise<string[]> {
  return (await tf.profile(f)).kernelNames;
}

describe('createPackedBinaryOp', () => {
  it('makes wsign (ones), τ and c (zeros) under its name and counts them', async () => {
    const p = new Params(1);
    const op = createPackedBinaryOp(p, 'cell0/e1', 8, SPEC);
    expect([...p.vars.keys()]).toEqual(['cell0/e1/wsign', 'cell0/e1/tau', 'cell0/e1/scale']);
    expect(p.vars.get('cell0/e1/wsign')!.shape).toEqual([3, 3, 4, 8]);
    expect(Array.from(await p.vars.get('cell0/e1/wsign')!.data()).every((v) => v === 1)).toBe(true);
    expect(Array.from(await p.vars.get('cell0/e1/scale')!.data()).every((v) => v === 0)).toBe(true);
    expect(op.binaryParams).toBe(9 * 4 * 8);
    expect(op.params).toBe(9 * 4 * 8 + 8 + 8);
    p.dispose();
  });

  it('rejects channels not divisible by groups, a wrong input width and training', () => {
    const p = new Params(2);
    expect(() => createPackedBinaryOp(p, 'bad', 6, { ...SPEC, groups: 4 })).toThrow(
      /bad: 6 channels not divisible by 4 groups/,
    );
    const op = createPackedBinaryOp(p, 'op', 8, SPEC);
    const x = input(1, 4);
    expect(() => op.apply(x, INF)).toThrow(/op: expected 8 channels, got 4/);
    expect(() => op.apply(input(2, 8), { ede: INF.ede })).toThrow(/cannot be trained/);
    p.dispose();
  });

  it('runs the packed kernel on WASM and equals the reference exactly, with and without add', async () => {
    const p = new Params(3);
    const op = packedOp(p, 'op', 8, 4);
    const x = input(5, 8);
    const add = input(6, 8);
    const want = reference(p, 'op', x);
    expect(Array.from(await op.apply(x, INF).data())).toEqual(Array.from(await want.data()));
    const wantSum = tf.add(add, want);
    expect(Array.from(await op.apply(x, INF, add).data())).toEqual(
      Array.from(await wantSum.data()),
    );
    expect(await kernelNames(() => op.apply(x, INF))).toContain(BINCONV_KERNEL);
    // New signs (a new dataId) are picked up: the kernel tables are rebuilt.
    p.vars.get('op/wsign')!.assign(tf.neg(p.vars.get('op/wsign')!));
    const flipped = reference(p, 'op', x);
    expect(Array.from(await op.apply(x, INF).data())).toEqual(Array.from(await flipped.data()));
    p.dispose();
  });

  it('falls back to the tfjs reference where the kernel is not registered (CPU backend)', async () => {
    await tf.setBackend('cpu');
    const p = new Params(4);
    const op = packedOp(p, 'op', 8, 7);
    const x = input(8, 8);
    const add = input(9, 8);
    const want = reference(p, 'op', x);
    const names = await kernelNames(() => op.apply(x, INF));
    expect(names).not.toContain(BINCONV_KERNEL);
    expect(Array.from(await op.apply(x, INF).data())).toEqual(Array.from(await want.data()));
    const wantSum = tf.add(add, want);
    expect(Array.from(await op.apply(x, INF, add).data())).toEqual(
      Array.from(await wantSum.data()),
    );
    p.dispose();
    await useWasm();
  });
});
