import type { Genotype } from '../search/types';

/**
 * Architecture of a trainable SR network: what model.json stores under `architecture` and what
 * buildNetwork() turns into variables. One union for the searched network and the baselines of
 * the paper's Table 2, so training, counting, saving and evaluation share one code path.
 */
export type ArchConfig = SrbnasConfig | EspcnConfig | SrresnetBnnConfig | VdsrBnnConfig;

export type Scale = 2 | 3 | 4;

/** The evaluation network (docs/design.md §2.11): N cells of a derived genotype at full C. */
export interface SrbnasConfig {
  arch: 'srbnas';
  scale: Scale;
  genotype: Genotype;
  cells: number;
  channels: number;
  groups: number;
}

/** ESPCN (Shi et al. 2016), full precision, RGB: conv5×5 64 tanh, conv3×3 32 tanh, conv3×3 3r², shuffle. */
export interface EspcnConfig {
  arch: 'espcn';
  scale: Scale;
  /** Feature widths of the first two convs (paper: 64, 32). */
  widths: [number, number];
}

/**
 * SRResNet with binary residual blocks (hand-designed BNN baseline): FP head conv3×3 3→C,
 * `blocks` residual blocks of two binary conv3×3 ops each (our Libra-PB/EDE op: x + s·conv, so
 * every binary conv has its own identity shortcut, BBCU-style, which replaces the block's
 * identity), FP body conv3×3 + global skip, FP tail
 * conv3×3 C→3r² and pixel shuffle. No bicubic shortcut (SRResNet has none).
 */
export interface SrresnetBnnConfig {
  arch: 'srresnet-bnn';
  scale: Scale;
  blocks: number;
  channels: number;
  groups: number;
}

/**
 * VDSR with binary body (hand-designed BNN baseline): input is the bicubic-upscaled image (HR
 * size); FP conv3×3 3→C, `layers` binary conv3×3 ops, FP conv3×3 C→3, plus the bicubic image
 * (global residual). Everything runs at HR resolution, as in VDSR.
 */
export interface VdsrBnnConfig {
  arch: 'vdsr-bnn';
  scale: Scale;
  layers: number;
  channels: number;
  groups: number;
}

export const ARCHS = ['srbnas', 'espcn', 'srresnet-bnn', 'vdsr-bnn'] as const;
export type ArchName = (typeof ARCHS)[number];

/** Check an architecture config; the message names the offending field. */
export function checkArchConfig(c: ArchConfig): void {
  const int = (v: unknown, n: string, min = 1) => {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min)
      throw new Error(`architecture.${n} must be an integer >= ${min}, got ${JSON.stringify(v)}`);
  };
  if (!ARCHS.includes(c.arch))
    throw new Error(`architecture.arch must be one of ${ARCHS.join(', ')}, got ${c.arch}`);
  if (c.scale !== 2 && c.scale !== 3 && c.scale !== 4)
    throw new Error(`architecture.scale must be 2, 3 or 4, got ${JSON.stringify(c.scale)}`);
  switch (c.arch) {
    case 'espcn':
      if (!Array.isArray(c.widths) || c.widths.length !== 2)
        throw new Error('architecture.widths must be [w1, w2]');
      c.widths.forEach((w, i) => int(w, `widths[${i}]`));
      return;
    case 'srbnas':
      int(c.cells, 'cells');
      break;
    case 'srresnet-bnn':
      int(c.blocks, 'blocks', 0);
      break;
    case 'vdsr-bnn':
      int(c.layers, 'layers', 0);
      break;
  }
  int(c.channels, 'channels');
  int(c.groups, 'groups');
  if (c.channels % c.groups !== 0)
    throw new Error(
      `architecture.channels (${c.channels}) must be divisible by groups (${c.groups})`,
    );
}

/** Short human label ("SRBNAS 3 cells C=64", ...). */
export function describeArch(c: ArchConfig): string {
  switch (c.arch) {
    case 'srbnas':
      return `SRBNAS ${c.cells} cells C=${c.channels} g=${c.groups} x${c.scale}`;
    case 'espcn':
      return `ESPCN ${c.widths.join('/')} x${c.scale}`;
    case 'srresnet-bnn':
      return `SRResNet-BNN ${c.blocks} blocks C=${c.channels} g=${c.groups} x${c.scale}`;
    case 'vdsr-bnn':
      return `VDSR-BNN ${c.layers} binary layers C=${c.channels} g=${c.groups} x${c.scale}`;
  }
}
