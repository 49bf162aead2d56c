import { foldBinary } from '../nn/binaryFold';
import { convLayers } from './count';
import type { ModelJSON } from './format';
import { decodeWeights, encodeEntries, type WeightSpec } from './weights';

/** model.json `encoding` of a packed model (docs/model-format.md §4). */
export const PACKED_ENCODING = 'packed-1bit';

/**
 * Pack a float model (docs/model-format.md §4): every binary op's latent `w` and `s` become its
 * weight signs `wsign` (1 bit each) and the folded scale `scale` = s · 2^S · 1/√fanIn (float32);
 * τ and every full-precision tensor are copied unchanged, in manifest order. One-way: the
 * latent weights are gone, so the result is for inference only.
 */
export function packModel(
  json: ModelJSON,
  weights: ArrayBuffer,
): { json: ModelJSON; weights: ArrayBuffer } {
  if (json.encoding === PACKED_ENCODING) throw new Error(`model ${json.name} is already packed`);
  const group = json.weightsManifest[0];
  const values = decodeWeights(group.weights, weights, group.paths[0]);
  const binary = new Map(
    convLayers(json.architecture)
      .filter((l) => l.binary)
      .map((l) => [l.name, l]),
  );
  const entries: { spec: WeightSpec; values: ArrayLike<number> }[] = [];
  for (const spec of group.weights) {
    const slash = spec.name.lastIndexOf('/');
    const layer = binary.get(spec.name.slice(0, slash));
    const v = values.get(spec.name)!.values;
    if (!layer) {
      entries.push({ spec, values: v });
      continue;
    }
    const p = layer.name;
    switch (spec.name.slice(slash + 1)) {
      case 'w': {
        const s = values.get(`${p}/s`);
        if (!s) throw new Error(`${group.paths[0]}: no value for ${p}/s`);
        const folded = foldBinary(
          v,
          s.values,
          layer.kernel * layer.kernel * (layer.cin / layer.groups),
        );
        entries.push({
          spec: { name: `${p}/wsign`, shape: spec.shape, dtype: 'bit' },
          values: folded.sign,
        });
        entries.push({
          spec: { name: `${p}/scale`, shape: s.shape, dtype: 'float32' },
          values: folded.scale,
        });
        break;
      }
      case 'tau':
        entries.push({ spec, values: v });
        break;
      case 's':
        break; // folded into scale (written next to wsign)
      default:
        throw new Error(`${group.paths[0]}: unexpected tensor ${spec.name} in binary op ${p}`);
    }
  }
  const { specs, data } = encodeEntries(entries);
  return {
    json: {
      ...json,
      encoding: PACKED_ENCODING,
      weightsManifest: [{ paths: group.paths, weights: specs }],
    },
    weights: data,
  };
}
