import * as tf from '@tensorflow/tfjs';

/**
 * One entry of a tfjs-style weights manifest: little-endian float32 values, or (packed models,
 * docs/model-format.md §2) 'bit': one bit per value, LSB first, 1 = +1 and 0 = −1.
 */
export interface WeightSpec {
  name: string;
  shape: number[];
  dtype: 'float32' | 'bit';
}

const size = (shape: number[]) => shape.reduce((x, y) => x * y, 1);

/** Bytes an entry takes in the .bin (no padding between entries). */
export function entryBytes(s: WeightSpec): number {
  return s.dtype === 'bit' ? Math.ceil(size(s.shape) / 8) : size(s.shape) * 4;
}

/**
 * Concatenate entries of either dtype (values of a 'bit' entry must be ±1; > 0 is stored as 1).
 */
export function encodeEntries(entries: { spec: WeightSpec; values: ArrayLike<number> }[]): {
  specs: WeightSpec[];
  data: ArrayBuffer;
} {
  const total = entries.reduce((a, e) => a + entryBytes(e.spec), 0);
  const out = new Uint8Array(total);
  let off = 0;
  for (const { spec, values } of entries) {
    const n = size(spec.shape);
    if (values.length !== n)
      throw new Error(`${spec.name}: ${values.length} values for [${spec.shape}]`);
    if (spec.dtype === 'bit') {
      for (let i = 0; i < n; i++) if (values[i] > 0) out[off + (i >> 3)] |= 1 << (i & 7);
    } else {
      const f = new Float32Array(n);
      f.set(values);
      out.set(new Uint8Array(f.buffer), off);
    }
    off += entryBytes(spec);
  }
  return { specs: entries.map((e) => e.spec), data: out.buffer };
}

export interface WeightsManifestEntry {
  paths: string[];
  weights: WeightSpec[];
}

/**
 * Concatenate named tensors into one little-endian float32 buffer, in the given order, as tfjs'
 * weightsManifest does (each tensor's values in row-major order, no padding).
 */
export async function encodeWeights(
  named: { name: string; tensor: tf.Tensor }[],
): Promise<{ specs: WeightSpec[]; data: ArrayBuffer }> {
  const total = named.reduce((a, { tensor }) => a + tensor.size, 0);
  const out = new Float32Array(total);
  const specs: WeightSpec[] = [];
  let off = 0;
  for (const { name, tensor } of named) {
    if (tensor.dtype !== 'float32') throw new Error(`${name}: only float32 is stored`);
    out.set((await tensor.data()) as Float32Array, off);
    off += tensor.size;
    specs.push({ name, shape: [...tensor.shape], dtype: 'float32' });
  }
  return { specs, data: out.buffer };
}

/** Split a buffer back into named Float32Arrays; a size mismatch is an error naming the file. */
export function decodeWeights(
  specs: WeightSpec[],
  data: ArrayBuffer,
  what = 'weights',
): Map<string, { shape: number[]; values: Float32Array }> {
  for (const s of specs)
    if (s.dtype !== 'float32' && s.dtype !== 'bit')
      throw new Error(`${what}: ${s.name} has dtype ${String(s.dtype)}`);
  const need = specs.reduce((a, s) => a + entryBytes(s), 0);
  if (data.byteLength !== need)
    throw new Error(`${what}: ${data.byteLength} bytes, but the manifest describes ${need}`);
  const bytes = new Uint8Array(data);
  const out = new Map<string, { shape: number[]; values: Float32Array }>();
  let off = 0;
  for (const s of specs) {
    const n = size(s.shape);
    let values: Float32Array;
    if (s.dtype === 'bit') {
      values = new Float32Array(n);
      for (let i = 0; i < n; i++) values[i] = (bytes[off + (i >> 3)] >> (i & 7)) & 1 ? 1 : -1;
    } else values = new Float32Array(data.slice(off, off + 4 * n)); // copy: offsets may be unaligned
    out.set(s.name, { shape: s.shape, values });
    off += entryBytes(s);
  }
  return out;
}

/**
 * Assign stored values to variables by name (`nameOf` maps a variable to its stored name).
 * Every variable must be present with the same shape, and no stored value may be left over, so
 * a file for another architecture fails loudly instead of half-loading.
 */
export function assignWeights(
  vars: tf.Variable[],
  nameOf: (v: tf.Variable) => string,
  values: Map<string, { shape: number[]; values: Float32Array }>,
  what = 'weights',
): void {
  const used = new Set<string>();
  for (const v of vars) {
    const key = nameOf(v);
    const s = values.get(key);
    if (!s) throw new Error(`${what}: no value for ${key}`);
    if (s.shape.length !== v.shape.length || s.shape.some((d, i) => d !== v.shape[i]))
      throw new Error(`${what}: ${key} has shape [${s.shape}], the network needs [${v.shape}]`);
    tf.tidy(() => v.assign(tf.tensor(s.values, v.shape, 'float32')));
    used.add(key);
  }
  const extra = [...values.keys()].filter((k) => !used.has(k));
  if (extra.length > 0)
    throw new Error(`${what}: values for unknown variables: ${extra.slice(0, 5).join(', ')}`);
}
