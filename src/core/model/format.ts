import { validateGenotypeJSON, type GenotypeJSON } from '../search/genotype';
import { PRIMITIVES } from '../search/types';
import { checkArchConfig, type ArchConfig } from './config';
import { countModel, type Counts } from './count';
import { buildNetwork, type SRNetwork } from './network';
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
 * reads the files). Returns the network and the validated JSON.
 */
export function loadModel(src: { json: unknown; weights: ArrayBuffer }): {
  net: SRNetwork;
  json: ModelJSON;
} {
  const json = validateModelJSON(src.json);
  const values = decodeWeights(
    json.weightsManifest[0].weights,
    src.weights,
    json.weightsManifest[0].paths[0],
  );
  const net = buildNetwork(json.architecture);
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
  return { net, json };
}
