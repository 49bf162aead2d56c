import * as tf from '@tensorflow/tfjs';
import { WASM_RELAXED_BASE64 } from './binconvRelaxedWasm';
import { WASM_BASE64 } from './binconvWasm';
import { BINDOT_KERNEL } from './binconvWebgpu';

/**
 * The packed binary conv as a tfjs kernel, 'SrbnasBinaryConv': inputs x [N, H, W, C], τ [C],
 * scale c [C] and the op's weight tables (binConvTables), output x + f32(dot) · c
 * (docs/model-format.md §3 steps 5–7). Registered per backend (WASM here, WebGPU in
 * binconvWebgpu.ts); on any other backend the packed op falls back to binaryOpReference, so the
 * engines agree everywhere.
 */
export const BINCONV_KERNEL = 'SrbnasBinaryConv';

export interface BinConvAttrs {
  k: number;
  dilation: number;
  groups: number;
  /** Offset (in int32 words) of the popcount table inside the `tables` input. */
  pcOff: number;
}

/** Channel concat of equal-width NHWC maps, as a WASM kernel (inference only: no gradient). */
export const CONCAT_KERNEL = 'SrbnasConcatChannels';

/**
 * The weight tables of one op, from its signs B (±1, filter layout [k, k, cg, cout], flat):
 *  - weight bytes, byte (o·k² + tap)·ppg + q = bits of channels 8q … 8q + 7 of o's group at that
 *    tap (bit 1 = +1), ppg = ⌈cg/8⌉ bytes per tap; packed 4 to an int32, little-endian;
 *  - pc[o·k² + tap]: ones in those bytes (what a zero byte outside the image mismatches).
 */
export function binConvTables(
  sign: ArrayLike<number>,
  k: number,
  cg: number,
  cout: number,
): { tables: Int32Array; attrs: Omit<BinConvAttrs, 'dilation' | 'groups'> } {
  const kk = k * k;
  const ppg = (cg + 7) >> 3;
  const nBytes = cout * kk * ppg;
  const words = Math.ceil(nBytes / 4);
  const pcOff = words;
  const tables = new Int32Array(pcOff + cout * kk);
  const bytes = new Uint8Array(tables.buffer, 0, nBytes);
  for (let o = 0; o < cout; o++)
    for (let t = 0; t < kk; t++) {
      let ones = 0;
      for (let q = 0; q < ppg; q++) {
        let byte = 0;
        for (let i = 0; i < 8 && 8 * q + i < cg; i++)
          if (sign[(t * cg + 8 * q + i) * cout + o] > 0) {
            byte |= 1 << i;
            ones++;
          }
        bytes[(o * kk + t) * ppg + q] = byte;
      }
      tables[pcOff + o * kk + t] = ones;
    }
  return { tables, attrs: { k, pcOff } };
}

// ---- WASM backend ------------------------------------------------------------------------

export interface KernelExports {
  binConv(
    x: number,
    tau: number,
    planes: number,
    h: number,
    w: number,
    c: number,
    groups: number,
    k: number,
    d: number,
    wp: number,
    wBytes: number,
    pc: number,
    scale: number,
    add: number,
    out: number,
    base: number,
    tmp: number,
    splat: number,
  ): void;
  concatChannels(ptrs: number, n: number, pixels: number, c: number, out: number): void;
  pixelShuffleAdd(
    t: number,
    bic: number,
    h: number,
    w: number,
    c: number,
    r: number,
    out: number,
  ): void;
}

/** What we use of tfjs-backend-wasm's BackendWasm (not imported: core must not pull it in). */
export interface WasmBackendLike {
  wasm: {
    asm?: { memory?: WebAssembly.Memory };
    wasmMemory?: WebAssembly.Memory;
    _malloc(n: number): number;
    _free(p: number): void;
  };
  dataIdMap: { get(id: object): { memoryOffset: number } | undefined };
  makeOutput(shape: number[], dtype: 'float32'): tf.TensorInfo;
}

function decodeBase64(b64: string): Uint8Array {
  if (typeof atob === 'function') {
    const s = atob(b64);
    const out = new Uint8Array(s.length);
    for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
    return out;
  }
  throw new Error('no base64 decoder');
}

/**
 * The two builds of the kernel (same source, same results): 'relaxed' uses relaxed SIMD's
 * swizzle for its nibble lookups (one x64 pshufb), 'simd' plain SIMD128 (swizzle plus a
 * range fix-up). Indices are nibbles, where both are defined alike, so the outputs are equal.
 */
export type BinConvVariant = 'relaxed' | 'simd';

const variantBytes: Record<BinConvVariant, Uint8Array | null> = { relaxed: null, simd: null };
let chosen: BinConvVariant | null = null;
let wasmModule: WebAssembly.Module | null = null;

/** The .wasm bytes of one build (default: the one this engine runs, see binConvVariant). */
export function binConvBytes(v: BinConvVariant = binConvVariant()): Uint8Array {
  variantBytes[v] ??= decodeBase64(v === 'relaxed' ? WASM_RELAXED_BASE64 : WASM_BASE64);
  return variantBytes[v];
}

/** Does this engine accept the relaxed-SIMD build? */
export function relaxedSimdSupported(): boolean {
  return WebAssembly.validate(binConvBytes('relaxed') as BufferSource);
}

/** The build in use: relaxed where the engine validates it, else plain SIMD128. */
export function binConvVariant(): BinConvVariant {
  chosen ??= relaxedSimdSupported() ? 'relaxed' : 'simd';
  return chosen;
}

/**
 * Pick the build (tests run both; a bench can compare them). Call before the first kernel runs
 * on a backend: instances already made keep their module.
 */
export function selectBinConvVariant(v: BinConvVariant): void {
  if (v === 'relaxed' && !relaxedSimdSupported())
    throw new Error('SrbnasBinaryConv: this engine does not support relaxed SIMD');
  if (v !== chosen) wasmModule = null;
  chosen = v;
}

/** The compiled kernel module (5 KB, compiled once; synchronous compile is allowed at this size). */
export function binConvModule(): WebAssembly.Module {
  wasmModule ??= new WebAssembly.Module(binConvBytes() as BufferSource);
  return wasmModule;
}

interface Instance {
  module: WebAssembly.Module;
  exports: KernelExports;
  scratch: number;
  scratchSize: number;
}
const instances = new WeakMap<object, Instance>();

/** Byte offset of a tensor's values in the WASM backend's heap. */
export function heapOffset(backend: WasmBackendLike, t: tf.TensorInfo): number {
  return backend.dataIdMap.get(t.dataId)!.memoryOffset;
}

export function instanceFor(backend: WasmBackendLike): Instance {
  const module = binConvModule();
  let inst = instances.get(backend);
  if (!inst || inst.module !== module) {
    const memory = backend.wasm.asm?.memory ?? backend.wasm.wasmMemory;
    if (!(memory instanceof WebAssembly.Memory))
      throw new Error('SrbnasBinaryConv: cannot reach the WASM backend memory');
    const i = new WebAssembly.Instance(module, { env: { memory } });
    // A new build (selectBinConvVariant) keeps the scratch already allocated in the heap.
    inst = {
      module,
      exports: i.exports as unknown as KernelExports,
      scratch: inst?.scratch ?? 0,
      scratchSize: inst?.scratchSize ?? 0,
    };
    instances.set(backend, inst);
  }
  return inst;
}

/** Scratch inside the backend's heap (kept between calls, grown when a larger map comes). */
function scratch(backend: WasmBackendLike, inst: Instance, bytes: number): number {
  if (inst.scratchSize < bytes) {
    if (inst.scratch) backend.wasm._free(inst.scratch);
    const size = Math.ceil(bytes * 1.25) + 64;
    inst.scratch = backend.wasm._malloc(size) >>> 0;
    if (!inst.scratch) throw new Error(`SrbnasBinaryConv: cannot allocate ${size} bytes`);
    inst.scratchSize = size;
  }
  return (inst.scratch + 15) & ~15;
}

function binConvWasm(args: {
  inputs: tf.NamedTensorInfoMap;
  backend: unknown;
  attrs?: tf.NamedAttrMap;
}): tf.TensorInfo {
  const backend = args.backend as WasmBackendLike;
  const { x, tau, scale, tables, add } = args.inputs as Record<
    'x' | 'tau' | 'scale' | 'tables',
    tf.TensorInfo
  > & { add?: tf.TensorInfo };
  const a = args.attrs as unknown as BinConvAttrs;
  const [n, h, w, c] = x.shape;
  const inst = instanceFor(backend);
  const out = backend.makeOutput(x.shape, 'float32');
  const ptr = (t: tf.TensorInfo) => backend.dataIdMap.get(t.dataId)!.memoryOffset;
  const cg = c / a.groups;
  const ppg = (cg + 7) >> 3;
  const r = ((a.k - 1) / 2) * a.dilation;
  // Rows padded to whole 32-pixel steps (the kernel's two 16-lane blocks) plus the border.
  const wp = Math.ceil(w / 32) * 32 + 2 * r;
  // Two nibble planes (low, high) per 8 channels (kernels/assembly/binconv.ts header).
  const planeBytes = 2 * a.groups * ppg * (h + 2 * r) * wp;
  const baseBytes = (2 * r + 1) * c * 4;
  // Two 16-byte popcount lookup tables per weight byte.
  const splatBytes = c * a.k * a.k * ppg * 32;
  const base0 = scratch(backend, inst, planeBytes + 16 + baseBytes + 16 + 256 + 16 + splatBytes);
  const planes = base0;
  const baseTab = (planes + planeBytes + 15) & ~15;
  const tmp = (baseTab + baseBytes + 15) & ~15;
  const splat = tmp + 256;
  // Pointers are read after every allocation: malloc may have grown (moved) the heap view, but
  // offsets stay valid.
  const xp = ptr(x);
  const tp = ptr(tables);
  const op = ptr(out);
  const ap = add ? ptr(add) : 0;
  const e = inst.exports;
  for (let b = 0; b < n; b++) {
    const off = b * h * w * c * 4;
    e.binConv(
      xp + off,
      ptr(tau),
      planes,
      h,
      w,
      c,
      a.groups,
      a.k,
      a.dilation,
      wp,
      tp,
      tp + a.pcOff * 4,
      ptr(scale),
      ap ? ap + off : 0,
      op + off,
      baseTab,
      tmp,
      splat,
    );
  }
  return out;
}

/** Channel concat of equal NHWC maps on WASM: one pass of 16-byte copies (see concatChannelsPacked). */
function concatWasm(args: { inputs: tf.NamedTensorInfoMap; backend: unknown }): tf.TensorInfo {
  const backend = args.backend as WasmBackendLike;
  const xs = args.inputs as unknown as tf.TensorInfo[];
  const [n, h, w, c] = xs[0].shape;
  const inst = instanceFor(backend);
  const out = backend.makeOutput([n, h, w, c * xs.length], 'float32');
  const list = scratch(backend, inst, 4 * xs.length + 16);
  const heap = new Int32Array(
    (backend.wasm.asm?.memory ?? backend.wasm.wasmMemory)!.buffer,
    list,
    xs.length,
  );
  xs.forEach((t, j) => (heap[j] = heapOffset(backend, t)));
  inst.exports.concatChannels(list, xs.length, n * h * w, c, heapOffset(backend, out));
  return out;
}

/** The binary op and the channel concat on WASM (registered by registerWasmKernels). */
export const binConvKernelConfigs: tf.KernelConfig[] = [
  { kernelName: BINCONV_KERNEL, backendName: 'wasm', kernelFunc: binConvWasm as tf.KernelFunc },
  { kernelName: CONCAT_KERNEL, backendName: 'wasm', kernelFunc: concatWasm as tf.KernelFunc },
];

/** Which packed kernel this backend has: 'wasm' (XNOR-popcount), 'webgpu' (WGSL), or none. */
export function packedKernel(backend = tf.getBackend()): 'wasm' | 'webgpu' | null {
  if (tf.getKernel(BINCONV_KERNEL, backend) != null) return 'wasm';
  if (tf.getKernel(BINDOT_KERNEL, backend) != null) return 'webgpu';
  return null;
}

/** Is the packed kernel available on this backend (else the op uses the tfjs reference)? */
export function hasBinConvKernel(backend = tf.getBackend()): boolean {
  return packedKernel(backend) != null;
}

/**
 * Run the packed kernel: [add +] (x + f32(dot) · c). WASM does it all in one kernel (`add`, the
 * other term of a node sum, fused); WebGPU computes f32(dot) · c and leaves the residual add and
 * the node sum to tf.add (see binconvWebgpu.ts).
 */
export function runBinConv(
  x: tf.Tensor4D,
  tau: tf.Tensor,
  scale: tf.Tensor,
  tables: tf.Tensor,
  attrs: BinConvAttrs,
  add?: tf.Tensor4D,
): tf.Tensor4D {
  const inputs = { x, tau, scale, tables } as unknown as tf.NamedTensorMap;
  const at = attrs as unknown as tf.NamedAttrMap;
  if (packedKernel() === 'webgpu')
    return tf.tidy(() => {
      const y = tf.add(x, tf.engine().runKernel(BINDOT_KERNEL, inputs, at) as tf.Tensor);
      return (add ? tf.add(add, y) : y) as tf.Tensor4D;
    });
  if (add) inputs.add = add;
  return tf.engine().runKernel(BINCONV_KERNEL, inputs, at) as tf.Tensor4D;
}

/** Is there a fast channel-concat kernel on this backend (WASM)? */
export function hasConcatKernel(backend = tf.getBackend()): boolean {
  return tf.getKernel(CONCAT_KERNEL, backend) != null;
}

/** Channel concat of equal-width maps with the WASM kernel (same values as tf.concat on axis 3). */
export function runConcatChannels(xs: tf.Tensor4D[]): tf.Tensor4D {
  return tf.engine().runKernel(CONCAT_KERNEL, xs as unknown as tf.NamedTensorMap) as tf.Tensor4D;
}
