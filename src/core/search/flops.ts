import { primitiveSpec } from './searchSpace';
import { PRIMITIVES, type SearchConfig } from './types';
import { EDGES, NODES } from './searchSpace';

/**
 * Analytic FLOP count of one search step, from the supernet's structure (docs/design.md §2). Only
 * convolutions are counted: a multiply-add is 2 FLOPs, a 'same' stride-1 conv of a
 * [B, H, W, Cin] map with a k×k filter and g groups costs 2·B·H·W·k²·(Cin/g)·Cout (dilation
 * changes nothing). Backward = 2× forward (input gradient + filter gradient, each a conv of the
 * same size), so one phase (w-step or α/β step) is 3× forward; element-wise ops (sign, EDE,
 * Libra-PB, scaling, mixing, shuffles) are memory-bound and not counted. These are *useful*
 * FLOPs: the dense block-diagonal layout that nn/conv.ts uses for narrow groups executes
 * `groups`× more, which this count deliberately ignores.
 */
export interface FlopBreakdown {
  /** Full-precision head 3×3 (3 → C), body 3×3 (C → C), tail 3×3 (C → 3r²). */
  head: number;
  body: number;
  tail: number;
  /** Binary group convs of all mixed ops, by primitive (all cells). */
  binary: Record<string, number>;
  /** 1×1 fusion convs (4C → C) of all cells. */
  fuse: number;
  /** Σ of the above: one forward pass. */
  forward: number;
}

export function supernetForwardFlops(
  c: Pick<SearchConfig, 'batch' | 'patch' | 'channels' | 'k' | 'groups' | 'cells' | 'scale'>,
): FlopBreakdown {
  const px = c.batch * c.patch * c.patch; // every conv runs at LR resolution
  const conv = (k: number, cin: number, cout: number, g = 1) => 2 * px * k * k * (cin / g) * cout;
  const C = c.channels;
  const cp = C / c.k; // PC-DARTS: only C/k channels enter the ops
  const binary: Record<string, number> = {};
  for (const p of PRIMITIVES) {
    const s = primitiveSpec(p, c.groups);
    if (s.kind === 'conv') binary[p] = c.cells * EDGES * conv(s.spec.kernel, cp, cp, c.groups);
  }
  const head = conv(3, 3, C);
  const body = conv(3, C, C);
  const tail = conv(3, C, 3 * c.scale * c.scale);
  const fuse = c.cells * conv(1, NODES * C, C);
  const forward = head + body + tail + fuse + Object.values(binary).reduce((a, b) => a + b, 0);
  return { head, body, tail, binary, fuse, forward };
}

/** FLOPs of one search step: w-step, plus the α/β step when `archStep` (each 3× forward). */
export function searchStepFlops(
  c: Parameters<typeof supernetForwardFlops>[0],
  archStep = true,
): number {
  return (archStep ? 2 : 1) * 3 * supernetForwardFlops(c).forward;
}
