import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { useWasm } from '../nn/testBackend';
import { checkArchConfig, describeArch, type ArchConfig } from './config';
import { serializeModel, validateModelJSON } from './format';
import { buildNetwork } from './network';
import { MIXED_GENOTYPE, tinyConfigs } from './testUtil';
import { assignWeights, decodeWeights, encodeWeights } from './weights';

/** Every refusal names the field or file at fault (the CLI and the studio show these). */
beforeAll(useWasm);

const srbnas = tinyConfigs(2)[0];
const bad = (c: unknown) => () => checkArchConfig(c as ArchConfig);

describe('checkArchConfig', () => {
  it('accepts every tiny architecture, including zero blocks or layers', () => {
    for (const c of tinyConfigs(3)) expect(() => checkArchConfig(c)).not.toThrow();
    expect(
      bad({ arch: 'srresnet-bnn', scale: 2, blocks: 0, channels: 8, groups: 2 }),
    ).not.toThrow();
    expect(bad({ arch: 'vdsr-bnn', scale: 4, layers: 0, channels: 8, groups: 8 })).not.toThrow();
  });

  it('names the field and the value it refuses', () => {
    expect(bad({ ...srbnas, arch: 'unet' })).toThrow(
      'architecture.arch must be one of srbnas, espcn, srresnet-bnn, vdsr-bnn, got unet',
    );
    for (const scale of [1, 5, '3'])
      expect(bad({ ...srbnas, scale })).toThrow(
        `architecture.scale must be 2, 3 or 4, got ${JSON.stringify(scale)}`,
      );
    expect(bad({ ...srbnas, cells: 0 })).toThrow(
      'architecture.cells must be an integer >= 1, got 0',
    );
    expect(bad({ ...srbnas, cells: 1.5 })).toThrow(
      'architecture.cells must be an integer >= 1, got 1.5',
    );
    expect(bad({ ...srbnas, cells: '2' })).toThrow(
      'architecture.cells must be an integer >= 1, got "2"',
    );
    expect(bad({ ...srbnas, channels: 0 })).toThrow(
      'architecture.channels must be an integer >= 1',
    );
    expect(bad({ ...srbnas, groups: 0 })).toThrow('architecture.groups must be an integer >= 1');
    expect(bad({ ...srbnas, channels: 8, groups: 3 })).toThrow(
      'architecture.channels (8) must be divisible by groups (3)',
    );
    expect(bad({ arch: 'srresnet-bnn', scale: 2, blocks: -1, channels: 8, groups: 2 })).toThrow(
      'architecture.blocks must be an integer >= 0, got -1',
    );
    expect(bad({ arch: 'vdsr-bnn', scale: 2, layers: -1, channels: 8, groups: 2 })).toThrow(
      'architecture.layers must be an integer >= 0, got -1',
    );
    expect(bad({ arch: 'espcn', scale: 2, widths: [4] })).toThrow(
      'architecture.widths must be [w1, w2]',
    );
    expect(bad({ arch: 'espcn', scale: 2, widths: 4 })).toThrow(
      'architecture.widths must be [w1, w2]',
    );
    expect(bad({ arch: 'espcn', scale: 2, widths: [4, 0] })).toThrow(
      'architecture.widths[1] must be an integer >= 1, got 0',
    );
  });

  it('describes each architecture in one line', () => {
    expect(tinyConfigs(3).map(describeArch)).toEqual([
      'SRBNAS 2 cells C=8 g=2 x3',
      'ESPCN 6/4 x3',
      'SRResNet-BNN 2 blocks C=8 g=2 x3',
      'VDSR-BNN 3 binary layers C=8 g=2 x3',
    ]);
  });
});

describe('validateModelJSON', () => {
  const good = async () => {
    const net = buildNetwork(srbnas, 1);
    const { json } = await serializeModel(net, { name: 'v' });
    net.dispose();
    return JSON.parse(JSON.stringify(json)) as Record<string, unknown>;
  };

  it('accepts a serialised model and refuses each broken field by name', async () => {
    const j = await good();
    expect(validateModelJSON(j)).toEqual(j);
    expect(() => validateModelJSON(null)).toThrow('model.json: not a JSON object');
    expect(() => validateModelJSON([j])).toThrow('model.json: not a JSON object');
    expect(() => validateModelJSON({ ...j, version: 2 })).toThrow(
      'model.json: unsupported version 2',
    );
    expect(() => validateModelJSON({ ...j, architecture: 'srbnas' })).toThrow(
      'model.json: architecture must be an object',
    );
    expect(() => validateModelJSON({ ...j, architecture: { ...srbnas, genotype: null } })).toThrow(
      /^model\.json: architecture\.genotype\.normal/,
    );
    const m = j.weightsManifest as { paths: string[]; weights: unknown[] }[];
    for (const weightsManifest of [[], [m[0], m[0]], [null], [{ paths: m[0].paths }], 'x'])
      expect(() => validateModelJSON({ ...j, weightsManifest })).toThrow(
        'model.json: weightsManifest must hold one group with a weights list',
      );
    for (const paths of [[], ['a.bin', 'b.bin'], 'weights.bin'])
      expect(() => validateModelJSON({ ...j, weightsManifest: [{ ...m[0], paths }] })).toThrow(
        'model.json: weightsManifest[0].paths must name one .bin file',
      );
  });

  it('keeps the genotype and training metadata it is given, and only those', async () => {
    const net = buildNetwork(srbnas, 1);
    const plain = await serializeModel(net, { name: 'p' });
    expect('genotype' in plain.json || 'training' in plain.json).toBe(false);
    const genotype = { format: 'srbnas-genotype', version: 1, scale: 2, ...MIXED_GENOTYPE };
    const rich = await serializeModel(net, {
      name: 'r',
      genotype: genotype as never,
      training: { epochs: 1 } as never,
    });
    expect(rich.json.genotype).toEqual(genotype);
    expect(rich.json.training).toEqual({ epochs: 1 });
    expect(rich.json.weightsManifest[0].paths).toEqual(['weights.bin']);
    net.dispose();
  });
});

describe('weights file', () => {
  it('encodes in order, row-major, and decodes back by name', async () => {
    const a = tf.tensor2d([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    const b = tf.tensor1d([7, 8]);
    const { specs, data } = await encodeWeights([
      { name: 'a', tensor: a },
      { name: 'b', tensor: b },
    ]);
    expect(specs).toEqual([
      { name: 'a', shape: [2, 3], dtype: 'float32' },
      { name: 'b', shape: [2], dtype: 'float32' },
    ]);
    expect(Array.from(new Float32Array(data))).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    const back = decodeWeights(specs, data);
    expect(Array.from(back.get('b')!.values)).toEqual([7, 8]);
    expect(back.get('a')!.shape).toEqual([2, 3]);
    await expect(encodeWeights([{ name: 'i', tensor: tf.tensor1d([1], 'int32') }])).rejects.toThrow(
      'i: only float32 is stored',
    );
    expect(() => decodeWeights(specs, data.slice(4), 'm.bin')).toThrow(
      'm.bin: 28 bytes, but the manifest describes 32',
    );
    expect(() =>
      decodeWeights([{ name: 'q', shape: [1], dtype: 'int32' as 'float32' }], data.slice(0, 4)),
    ).toThrow('weights: q has dtype int32');
    tf.dispose([a, b]);
  });

  it('assigns every variable or refuses: missing, wrong shape, left over', () => {
    const z = tf.zeros([2, 2]);
    const v = tf.variable(z, true, 'weightsTestV');
    z.dispose();
    const vals = (shape: number[], extra = false) => {
      const m = new Map<string, { shape: number[]; values: Float32Array }>();
      m.set('v', { shape, values: new Float32Array([1, 2, 3, 4]) });
      if (extra) m.set('w', { shape: [1], values: new Float32Array([0]) });
      return m;
    };
    assignWeights([v], () => 'v', vals([2, 2]));
    expect(Array.from(v.dataSync())).toEqual([1, 2, 3, 4]);
    expect(() => assignWeights([v], () => 'u', vals([2, 2]), 'f.bin')).toThrow(
      'f.bin: no value for u',
    );
    expect(() => assignWeights([v], () => 'v', vals([4, 1]))).toThrow(
      'weights: v has shape [4,1], the network needs [2,2]',
    );
    // Same leading size, fewer dimensions (the values would still fill [2, 2]).
    expect(() => assignWeights([v], () => 'v', vals([2]))).toThrow(/has shape \[2\]/);
    expect(() => assignWeights([v], () => 'v', vals([2, 2], true))).toThrow(
      'weights: values for unknown variables: w',
    );
    v.dispose();
  });
});
