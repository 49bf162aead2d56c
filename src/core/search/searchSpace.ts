import { PRIMITIVES, type Primitive } from './types';

/**
 * Table 1 of the paper as op specs. Every conv is a binary group conv (docs/design.md §2.1);
 * the "dil" variants use dilation 2 as in DARTS. `skip_connect` is the identity (no params).
 * The shape matches BinaryOpSpec of src/core/nn/binaryOp.ts (structural typing).
 */
export interface ConvSpec {
  kernel: 1 | 3 | 5 | 7;
  dilation: 1 | 2;
  groups: number;
}

export type PrimitiveSpec = { kind: 'conv'; spec: ConvSpec } | { kind: 'identity' };

const KERNELS: Record<Primitive, { kernel: 3 | 5 | 7; dilation: 1 | 2 } | null> = {
  bin_dil_conv_3x3: { kernel: 3, dilation: 2 },
  bin_conv_3x3: { kernel: 3, dilation: 1 },
  bin_dil_conv_5x5: { kernel: 5, dilation: 2 },
  bin_conv_5x5: { kernel: 5, dilation: 1 },
  bin_conv_7x7: { kernel: 7, dilation: 1 },
  skip_connect: null,
};

export function primitiveSpec(p: Primitive, groups: number): PrimitiveSpec {
  const k = KERNELS[p];
  if (k === undefined) throw new Error(`unknown primitive '${String(p)}'`);
  return k === null ? { kind: 'identity' } : { kind: 'conv', spec: { ...k, groups } };
}

export function isPrimitive(x: unknown): x is Primitive {
  return typeof x === 'string' && (PRIMITIVES as readonly string[]).includes(x);
}

/** Intermediate nodes of the DARTS normal cell and their edges (node j has j + 2 inputs). */
export const NODES = 4;
export const EDGES = 14;

/** Edges of intermediate node j (0-based) in DARTS order: inputs 0..j+1, consecutive indices. */
export function nodeEdges(j: number): { edge: number; input: number }[] {
  let start = 0;
  for (let n = 0; n < j; n++) start += n + 2;
  return Array.from({ length: j + 2 }, (_, i) => ({ edge: start + i, input: i }));
}
