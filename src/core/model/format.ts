import { validateGenotypeJSON, type GenotypeJSON } from '../search/genotype';
import { PRIMITIVES } from '../search/types';
import { checkArchConfig, type ArchConfig } from './config';
import { countModel, type Counts } from './count';
import { buildNetwork, type Engine, type SRNetwork } from './network';
import { PACKED_ENCODING, packModel } from './pack';
import { assignWeights, decodeWeights, encodeWeights, type WeightsManifestEntry } from './weights';

/** What `srbnas train` records about the run that produced a model. */
export interface TrainingMeta {
  /** The command line(s) that produced it (one per resumed session). */
  commands: string[];
  data: string;
  trainImages: number;
  valImages: string[];
  epochs: number;
  /** Epochs actually completed (less than `epochs` for a model saved mid-run). */
  epochsDone: number;
  stepsPerEpoch: number;
  batch: number;
  patch: number;
  lr: number;
  seed: number;
  /** Validation PSNR (dB, Y, border = scale) after each completed epoch. */
  valPsnr: number[];
  /** Bicubic PSNR on the same validation images, for reference. */
  valPsnrBicubic: number;
  seconds: number;
  backend: string;
  /** Data-parallel threads of the last session (absent = 1). */
  workers?: number;
  finishedAt: string;
}

/**
 * model.json: tfjs-style (a `weightsManifest` pointing at a little-endian float32 .bin) plus our
 * own fields. Weights are the latent float32 values, so a loaded model reproduces the trained
 * outputs exactly and can be trained further; `counts.sizeBytes` is what a 1-bit packed export
 * of the binary weights would take.
 */
export interface ModelJSON {
  format: 'srbnas-model';
  version: 1;
  /** Absent or 'float32': latent weights; 'packed-1bit': docs/model-format.md §4. */
  encoding?: 'float32' | typeof PACKED_ENCODING;
  name: string;
  architecture: ArchConfig;
  /** The genotype file the network was built from (SRBNAS only), search metadata included. */
  genotype?: GenotypeJSON;
  counts: Counts;
  training?: TrainingMeta;
  weightsManifest: WeightsManifestEntry[];
}

export const WEIGHTS_FILE = 'weights.bin';

export async function serializeModel(
  net: SRNetwork,
  extra: { name: string; genotype?: GenotypeJSON; training?: TrainingMeta },
): Promise<{ json: ModelJSON; weights: ArrayBuffer }> {
  if (net.engine !== 'float')
    throw new Error(
      'only a float network can be serialised (a packed model is written by packModel)',
    );
  const named = net.params.list().map((v) => ({ name: net.localName(v), tensor: v }));
  const { specs, data } = await encodeWeights(named);
  const json: ModelJSON = {
    format: 'srbnas-model',
    version: 1,
    name: extra.name,
    architecture: net.config,
    counts: countModel(net.config),
    weightsManifest: [{ paths: [WEIGHTS_FILE], weights: specs }],
  };
  if (extra.genotype) json.genotype = extra.genotype;
  if (extra.training) json.training = extra.training;
  return { json, weights: data };
}

const isObj = (x: unknown): x is Record<string, unknown> =>
  typeof x === 'object' && x !== null && !Array.isArray(x);

/** Validate a parsed model.json; errors name the field. */
export function validateModelJSON(x: unknown): ModelJSON {
  if (!isObj(x)) throw new Error('model.json: not a JSON object');
  if (x.format !== 'srbnas-model') throw new Error('model.json: format must be "srbnas-model"');
  if (x.version !== 1) throw new Error(`model.json: unsupported version ${String(x.version)}`);
  if (x.encoding !== undefined && x.encoding !== 'float32' && x.encoding !== PACKED_ENCODING)
    throw new Error(
      `model.json: encoding must be "float32" or "${PACKED_ENCODING}", got ${JSON.stringify(x.encoding)}`,
    );
  if (!isObj(x.architecture)) throw new Error('model.json: architecture must be an object');
  const arch = x.architecture as unknown as ArchConfig;
  checkArchConfig(arch);
  if (arch.arch === 'srbnas') {
    const g = arch.genotype as unknown;
    const v = validateGenotypeJSON({
      format: 'srbnas-genotype',
      version: 1,
      scale: arch.scale,
      searchSpace: [...PRIMITIVES],
      ...(isObj(g) ? { normal: g.normal, normal_concat: g.normal_concat } : {}),
    });
    if (!v.ok) throw new Error(`model.json: architecture.genotype.${v.message}`);
  }
  const m = x.weightsManifest;
  if (!Array.isArray(m) || m.length !== 1 || !isObj(m[0]) || !Array.isArray(m[0].weights))
    throw new Error('model.json: weightsManifest must hold one group with a weights list');
  const group = m[0] as unknown as WeightsManifestEntry;
  if (!Array.isArray(group.paths) || group.paths.length !== 1)
    throw new Error('model.json: weightsManifest[0].paths must name one .bin file');
  return x as unknown as ModelJSON;
}

/**
 * Build the network a model.json describes and load its weights (Node and browser: the caller
 * reads the files). Returns the network and the validated JSON (as stored).
 *
 * `engine`: 'packed' (the default for packed files) runs binary ops on packed signs — a float
 * file is packed in memory first; 'float' (the default for float files) keeps the latent weights
 * (the reference, and what training continues from); a packed file cannot run on it.
 */
export function loadModel(
  src: { json: unknown; weights: ArrayBuffer },
  opts: { engine?: Engine } = {},
): { net: SRNetwork; json: ModelJSON } {
  const stored = validateModelJSON(src.json);
  const packed = stored.encoding === PACKED_ENCODING;
  const engine = opts.engine ?? (packed ? 'packed' : 'float');
  if (packed && engine === 'float')
    throw new Error(
      `model ${stored.name} is packed (1-bit weights, no latent floats): the float engine needs the float model folder`,
    );
  const { json, weights } =
    engine === 'packed' && !packed
      ? packModel(stored, src.weights)
      : { json: stored, weights: src.weights };
  const values = decodeWeights(
    json.weightsManifest[0].weights,
    weights,
    json.weightsManifest[0].paths[0],
  );
  const net = buildNetwork(json.architecture, 1, engine);
  try {
    assignWeights(
      net.params.list(),
      (v) => net.localName(v),
      values,
      json.weightsManifest[0].paths[0],
    );
  } catch (e) {
    net.dispose();
    throw e;
  }
  return { net, json: stored };
}
