import { primitiveSpec } from '../search/searchSpace';
import type { ArchConfig } from './config';

/**
 * Parameter, size and operation counts of a network, computed from its architecture config
 * (checked against the variables buildNetwork() creates in count.test.ts).
 *
 * Definitions (all per HR OUTPUT PIXEL, i.e. the count for a whole image divided by the number
 * of HR pixels h·r × w·r, so the figure does not depend on the image size):
 *  - A conv with kernel k, cin inputs, cout outputs and g groups does k²·(cin/g)·cout
 *    multiply-accumulates (MACs) per pixel of the resolution it runs at; a conv at LR
 *    resolution therefore contributes k²·(cin/g)·cout / r² per HR output pixel, one at HR
 *    resolution (VDSR) the full k²·(cin/g)·cout.
 *  - FLOPs = MACs of the full-precision convs, one MAC counted as ONE FLOP (the "Mult-Adds"
 *    convention of SR papers, and Bi-Real Net's FLOPs).
 *  - BOPs = MACs of the binary convs (one XNOR + popcount per ±1 product).
 *  - OPs = FLOPs + BOPs / 64 (Bi-Real Net / IR-Net convention: a 64-bit word does 64 BOPs).
 *  - Not counted: element-wise work (bias, τ shift, sign, per-channel scales, residual adds,
 *    tanh, pixel shuffle) and the bicubic image shortcut (a fixed 4×4-tap separable filter).
 * Parameters:
 *  - binary = latent weights of binary convs, stored as 1 bit each after training;
 *  - full precision = everything else, stored as float32: FP conv weights and biases, and per
 *    binary op its threshold τ (cin) and scale s (cout). The Libra-PB power-of-two factor 2^S and
 *    the fixed 1/√fanIn fold into s at export, so they add nothing.
 *  - sizeBytes = binary/8 + 4 · fullPrecision.
 */
export interface Counts {
  params: number;
  binaryParams: number;
  fpParams: number;
  sizeBytes: number;
  flopsPerPixel: number;
  bopsPerPixel: number;
  opsPerPixel: number;
}

/** One conv of the network, as counting sees it. */
export interface ConvLayer {
  name: string;
  binary: boolean;
  kernel: number;
  cin: number;
  cout: number;
  groups: number;
  /** Runs at LR (1) or HR (r) resolution. */
  hr: boolean;
}

const fp = (name: string, kernel: number, cin: number, cout: number, hr = false): ConvLayer => ({
  name,
  binary: false,
  kernel,
  cin,
  cout,
  groups: 1,
  hr,
});
const bin = (name: string, kernel: number, c: number, groups: number, hr = false): ConvLayer => ({
  name,
  binary: true,
  kernel,
  cin: c,
  cout: c,
  groups,
  hr,
});

/** Every conv of the network described by `c`, in forward order. */
export function convLayers(c: ArchConfig): ConvLayer[] {
  const r = c.scale;
  switch (c.arch) {
    case 'espcn':
      return [
        fp('conv1', 5, 3, c.widths[0]),
        fp('conv2', 3, c.widths[0], c.widths[1]),
        fp('conv3', 3, c.widths[1], 3 * r * r),
      ];
    case 'srbnas': {
      const C = c.channels;
      const out: ConvLayer[] = [fp('head', 3, 3, C)];
      for (let i = 0; i < c.cells; i++) {
        c.genotype.normal.forEach(([prim], e) => {
          const s = primitiveSpec(prim, c.groups);
          if (s.kind === 'conv')
            out.push(bin(`cell${i}/edge${e}_${prim}`, s.spec.kernel, C, c.groups));
        });
        out.push(fp(`cell${i}/fuse`, 1, c.genotype.normal_concat.length * C, C));
      }
      return [...out, fp('body', 3, C, C), fp('tail', 3, C, 3 * r * r)];
    }
    case 'srresnet-bnn': {
      const C = c.channels;
      const out: ConvLayer[] = [fp('head', 3, 3, C)];
      for (let i = 0; i < c.blocks; i++)
        out.push(bin(`block${i}/conv1`, 3, C, c.groups), bin(`block${i}/conv2`, 3, C, c.groups));
      return [...out, fp('body', 3, C, C), fp('tail', 3, C, 3 * r * r)];
    }
    case 'vdsr-bnn': {
      const C = c.channels;
      const out: ConvLayer[] = [fp('first', 3, 3, C, true)];
      for (let i = 0; i < c.layers; i++) out.push(bin(`layer${i}`, 3, C, c.groups, true));
      return [...out, fp('last', 3, C, 3, true)];
    }
  }
}

export function countLayers(layers: ConvLayer[], scale: number): Counts {
  let binaryParams = 0;
  let fpParams = 0;
  let flops = 0;
  let bops = 0;
  for (const l of layers) {
    const weights = l.kernel * l.kernel * (l.cin / l.groups) * l.cout;
    const perHrPixel = l.hr ? weights : weights / (scale * scale);
    if (l.binary) {
      binaryParams += weights;
      fpParams += l.cin + l.cout; // τ and s
      bops += perHrPixel;
    } else {
      fpParams += weights + l.cout; // + bias
      flops += perHrPixel;
    }
  }
  return {
    params: binaryParams + fpParams,
    binaryParams,
    fpParams,
    sizeBytes: binaryParams / 8 + 4 * fpParams,
    flopsPerPixel: flops,
    bopsPerPixel: bops,
    opsPerPixel: flops + bops / 64,
  };
}

export function countModel(c: ArchConfig): Counts {
  return countLayers(convLayers(c), c.scale);
}

const OP_RADIUS: Record<string, number> = {
  bin_conv_3x3: 1,
  bin_dil_conv_3x3: 2,
  bin_conv_5x5: 2,
  bin_dil_conv_5x5: 4,
  bin_conv_7x7: 3,
  skip_connect: 0,
};

/**
 * Receptive-field radius in LR pixels: an output pixel depends only on LR inputs (and bicubic
 * pixels) within this many LR pixels. Tiled inference with at least this much overlap gives
 * the untiled result (the zero padding of every conv is then only seen where the image ends).
 */
export function receptiveRadius(c: ArchConfig): number {
  switch (c.arch) {
    case 'espcn':
      return 2 + 1 + 1;
    case 'srresnet-bnn':
      return 1 + 2 * c.blocks + 1 + 1;
    case 'vdsr-bnn':
      // Convs run on the HR grid; 1 LR pixel = r HR pixels.
      return Math.ceil((1 + c.layers + 1) / c.scale);
    case 'srbnas': {
      let r0 = 1; // head conv 3×3
      let r1 = 1;
      for (let i = 0; i < c.cells; i++) {
        const states = [r0, r1];
        for (let j = 0; j < c.genotype.normal.length / 2; j++) {
          const rs = [2 * j, 2 * j + 1].map((e) => {
            const [op, input] = c.genotype.normal[e];
            return states[input] + OP_RADIUS[op];
          });
          states.push(Math.max(...rs));
        }
        const out = Math.max(r1, ...c.genotype.normal_concat.map((s) => states[s]));
        r0 = r1;
        r1 = out;
      }
      return r1 + 1 + 1; // body and tail convs
    }
  }
}
