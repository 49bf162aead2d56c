import * as tf from '@tensorflow/tfjs';

/** One entry of a tfjs-style weights manifest (float32 only: that is all we store). */
export interface WeightSpec {
  name: string;
  shape: number[];
  dtype: 'float32';
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
  const need = specs.reduce((a, s) => a + s.shape.reduce((x, y) => x * y, 1), 0);
  if (data.byteLength !== need * 4)
    throw new Error(
      `${what}: ${data.byteLength} bytes, but the manifest describes ${need * 4} (${need} float32)`,
    );
  const all = new Float32Array(data.slice(0));
  const out = new Map<string, { shape: number[]; values: Float32Array }>();
  let off = 0;
  for (const s of specs) {
    if (s.dtype !== 'float32') throw new Error(`${what}: ${s.name} has dtype ${s.dtype}`);
    const n = s.shape.reduce((x, y) => x * y, 1);
    out.set(s.name, { shape: s.shape, values: all.subarray(off, off + n) });
    off += n;
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
