import * as tf from '@tensorflow/tfjs';
import type { BinConvAttrs } from './binconv';

/**
 * The packed binary conv on WebGPU (WGSL, countOneBits), as two tfjs-webgpu programs:
 *  1. 'SrbnasSignPack': sign(x − τ) of every pixel packed 32 channels to a word, per group
 *     (word q of group g holds channels g·cg + 32q + i at bit i; bits past the group are 0);
 *  2. 'SrbnasBinDot': per output (pixel, o), over the taps inside the image only (zero padding
 *     adds 0), mismatches = Σ countOneBits(act ^ w); dot = cg·nValid − 2·mismatches; the output
 *     is f32(dot) · c — one correctly rounded multiply. The residual x + … is then tf.add, the
 *     same kernel the float engine ends with, so no fused multiply-add can creep in.
 * The weight bytes come from binConvTables (the WASM kernel's layout), read 4 to a word.
 */
export const BINDOT_KERNEL = 'SrbnasBinDot';

/** What we use of tfjs-backend-webgpu's WebGPUBackend (not imported: core stays backend-free). */
interface WebgpuBackendLike {
  runWebGPUProgram(
    program: object,
    inputs: tf.TensorInfo[],
    dtype: 'int32' | 'float32',
    uniforms?: { type: 'int32'; data: number[] }[],
  ): tf.TensorInfo;
  disposeData(dataId: object): void;
}

const WORKGROUP = 64;

function program(
  name: string,
  outputShape: number[],
  variableNames: string[],
  uniforms: string[],
  body: string,
  key: string,
) {
  const size = outputShape.reduce((a, b) => a * b, 1);
  return {
    variableNames,
    outputShape,
    shaderKey: `${name}_${key}`,
    dispatchLayout: { x: outputShape.map((_, i) => i) },
    dispatch: [Math.ceil(size / WORKGROUP), 1, 1] as [number, number, number],
    workgroupSize: [WORKGROUP, 1, 1] as [number, number, number],
    size: true,
    uniforms: uniforms.map((u) => `${u} : i32,`).join(' '),
    getUserCode: () => `
      fn main(index : i32) {
        if (index >= uniforms.size) { return; }
        ${body}
      }`,
  };
}

const SIGN_UNIFORMS = ['c', 'cg', 'wpg'];
const signBody = `
  // index = pixel · (groups · wpg) + g · wpg + q
  let perPixel = (uniforms.c / uniforms.cg) * uniforms.wpg;
  let pix = index / perPixel;
  let r = index - pix * perPixel;
  let g = r / uniforms.wpg;
  let q = r - g * uniforms.wpg;
  let first = g * uniforms.cg + 32 * q;
  let n = min(32, uniforms.cg - 32 * q);
  var bits = 0u;
  for (var i = 0; i < n; i++) {
    let ch = first + i;
    if (X[pix * uniforms.c + ch] - TAU[ch] >= 0.0) { bits = bits | (1u << u32(i)); }
  }
  result[index] = bitcast<i32>(bits);`;

const DOT_UNIFORMS = ['h', 'w', 'c', 'cg', 'wpg', 'ppg', 'k', 'd'];
const dotBody = `
  // index = ((n · h + y) · w + x) · c + o
  let o = index % uniforms.c;
  let pix = index / uniforms.c;
  let xx = pix % uniforms.w;
  let t = pix / uniforms.w;
  let y = t % uniforms.h;
  let n = t / uniforms.h;
  let groups = uniforms.c / uniforms.cg;
  let g = o / (uniforms.c / groups);
  let kc = (uniforms.k - 1) / 2;
  let kk = uniforms.k * uniforms.k;
  var mism = 0;
  var valid = 0;
  for (var a = 0; a < uniforms.k; a++) {
    let yy = y + (a - kc) * uniforms.d;
    if (yy < 0 || yy >= uniforms.h) { continue; }
    for (var b = 0; b < uniforms.k; b++) {
      let xs = xx + (b - kc) * uniforms.d;
      if (xs < 0 || xs >= uniforms.w) { continue; }
      valid++;
      let act0 = ((n * uniforms.h + yy) * uniforms.w + xs) * groups * uniforms.wpg + g * uniforms.wpg;
      let wrow = (o * kk + a * uniforms.k + b) * uniforms.ppg;
      for (var q = 0; q < uniforms.wpg; q++) {
        var wword = 0u;
        for (var j = 0; j < 4; j++) {
          let bi = 4 * q + j;
          if (bi < uniforms.ppg) {
            let idx = wrow + bi;
            let bv = (bitcast<u32>(TABLES[idx / 4]) >> (8u * u32(idx % 4))) & 255u;
            wword = wword | (bv << (8u * u32(j)));
          }
        }
        mism += i32(countOneBits(bitcast<u32>(P[act0 + q]) ^ wword));
      }
    }
  }
  let dot = uniforms.cg * valid - 2 * mism;
  result[index] = f32(dot) * SCALE[o];`;

function binDotWebgpu(args: {
  inputs: tf.NamedTensorInfoMap;
  backend: unknown;
  attrs?: tf.NamedAttrMap;
}): tf.TensorInfo {
  const backend = args.backend as WebgpuBackendLike;
  const { x, tau, scale, tables } = args.inputs as Record<
    'x' | 'tau' | 'scale' | 'tables',
    tf.TensorInfo
  >;
  const a = args.attrs as unknown as BinConvAttrs;
  const [n, h, w, c] = x.shape;
  const cg = c / a.groups;
  const wpg = Math.ceil(cg / 32);
  const ppg = Math.ceil(cg / 8);
  const int = (data: number[]) => data.map((v) => ({ type: 'int32' as const, data: [v] }));
  const packProg = program(
    'SrbnasSignPack',
    [n, h, w, a.groups * wpg],
    ['X', 'TAU'],
    SIGN_UNIFORMS,
    signBody,
    '',
  );
  const packed = backend.runWebGPUProgram(packProg, [x, tau], 'int32', int([c, cg, wpg]));
  const dotProg = program(
    'SrbnasBinDot',
    [n, h, w, c],
    ['P', 'TABLES', 'SCALE'],
    DOT_UNIFORMS,
    dotBody,
    '',
  );
  const out = backend.runWebGPUProgram(
    dotProg,
    [packed, tables, scale],
    'float32',
    int([h, w, c, cg, wpg, ppg, a.k, a.dilation]),
  );
  backend.disposeData(packed.dataId);
  return out;
}

let registered = false;

/** Register the WebGPU kernel (idempotent; harmless where WebGPU never starts). */
export function registerBinConvWebgpu(): void {
  if (registered) return;
  registered = true;
  tf.registerKernel({ kernelName: BINDOT_KERNEL, backendName: 'webgpu', kernelFunc: binDotWebgpu });
}
