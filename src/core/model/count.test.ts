import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { useWasm } from '../nn/testBackend';
import { derivedParamBreakdown } from '../search/genotype';
import type { Genotype } from '../search/types';
import type { ArchConfig } from './config';
import { convLayers, countModel, receptiveRadius } from './count';
import { buildNetwork, INFERENCE_CTX } from './network';
import { MIXED_GENOTYPE, randomizeWeights, tinyConfigs } from './testUtil';

beforeAll(useWasm);

describe('countModel on hand-countable networks', () => {
  it('ESPCN x2 with widths 4/2', () => {
    const c = countModel({ arch: 'espcn', scale: 2, widths: [4, 2] });
    // conv5×5 3→4: 300 + 4 bias; conv3×3 4→2: 72 + 2; conv3×3 2→12: 216 + 12.
    expect(c.params).toBe(304 + 74 + 228);
    expect(c.binaryParams).toBe(0);
    expect(c.fpParams).toBe(606);
    expect(c.sizeBytes).toBe(606 * 4);
    // MACs per LR pixel 300 + 72 + 216 = 588, per HR pixel / 4.
    expect(c.flopsPerPixel).toBe(147);
    expect(c.bopsPerPixel).toBe(0);
  });

  it('SRBNAS, 1 cell, one binary conv (3×3, C = 4, 2 groups), x2', () => {
    const g: Genotype = {
      normal: [
        ['bin_conv_3x3', 1],
        ['skip_connect', 0],
        ['skip_connect', 2],
        ['skip_connect', 1],
        ['skip_connect', 3],
        ['skip_connect', 2],
        ['skip_connect', 4],
        ['skip_connect', 0],
      ],
      normal_concat: [2, 3, 4, 5],
    };
    const c = countModel({
      arch: 'srbnas',
      scale: 2,
      genotype: g,
      cells: 1,
      channels: 4,
      groups: 2,
    });
    // binary conv: 3·3·(4/2)·4 = 72 weights (1 bit), τ 4 + s 4 FP.
    // fuse 1×1 16→4: 64 + 4; head 3×3 3→4: 108 + 4; body 4→4: 144 + 4; tail 4→12: 432 + 12.
    const fp = 8 + 68 + 112 + 148 + 444;
    expect(c.binaryParams).toBe(72);
    expect(c.fpParams).toBe(fp);
    expect(c.params).toBe(72 + fp);
    expect(c.sizeBytes).toBe(72 / 8 + 4 * fp);
    expect(c.bopsPerPixel).toBe(72 / 4);
    // FP MACs per LR pixel: fuse 64, head 108, body 144, tail 432.
    expect(c.flopsPerPixel).toBe((64 + 108 + 144 + 432) / 4);
    expect(c.opsPerPixel).toBe(c.flopsPerPixel + c.bopsPerPixel / 64);
  });

  it('VDSR-BNN runs at HR resolution: no division by r²', () => {
    const c = countModel({ arch: 'vdsr-bnn', scale: 3, layers: 2, channels: 4, groups: 1 });
    // first 3→4: 108 (+4), 2 binary 3×3 4→4: 144 each (+8 τ/s each), last 4→3: 108 (+3).
    expect(c.binaryParams).toBe(288);
    expect(c.fpParams).toBe(112 + 16 + 111);
    expect(c.bopsPerPixel).toBe(288);
    expect(c.flopsPerPixel).toBe(216);
  });

  it('matches the variables buildNetwork creates, for every architecture', () => {
    for (const cfg of tinyConfigs(3)) {
      const net = buildNetwork(cfg, 1);
      const binary = net.params
        .list()
        .filter((v) => /(edge\d+_bin|block\d+\/conv|layer\d+)[^/]*\/w$/.test(net.localName(v)))
        .reduce((a, v) => a + v.size, 0);
      const c = countModel(cfg);
      expect(c.params, cfg.arch).toBe(net.params.count());
      expect(c.binaryParams, cfg.arch).toBe(binary);
      net.dispose();
    }
  });

  it("agrees with the search's derivedParamBreakdown for SRBNAS", () => {
    const cfg: ArchConfig = {
      arch: 'srbnas',
      scale: 3,
      genotype: MIXED_GENOTYPE,
      cells: 3,
      channels: 64,
      groups: 4,
    };
    const b = derivedParamBreakdown(MIXED_GENOTYPE, 64, 3, 3, 4);
    const c = countModel(cfg);
    expect(c.params).toBe(b.total);
    expect(c.binaryParams).toBe(b.binaryWeights);
  });
});

describe('receptiveRadius', () => {
  // Perturb one LR pixel in the middle and find how far the SR output changes (in LR pixels).
  // Float mode (no sign) so any change propagates; the radius must bound the footprint, and
  // for these all-conv paths it is reached exactly.
  it('bounds the footprint of a one-pixel change, and is tight', () => {
    for (const cfg of tinyConfigs(2)) {
      const net = buildNetwork(cfg, 3);
      randomizeWeights(net, 5);
      const R = receptiveRadius(cfg);
      const n = 2 * R + 9;
      const r = cfg.scale;
      const base = tf.randomUniform([1, n, n, 3], 0, 1, 'float32', 7) as tf.Tensor4D;
      const bump = tf.tidy(() =>
        tf.add(
          base,
          tf.mul(tf.oneHot([(n >> 1) * n + (n >> 1)], n * n).reshape([1, n, n, 1]), 0.5),
        ),
      ) as tf.Tensor4D;
      const bicOf = (x: tf.Tensor4D) => tf.image.resizeBilinear(x, [n * r, n * r]);
      const ctx = { ...INFERENCE_CTX, mode: 'float' as const };
      const diff = tf.tidy(() =>
        tf
          .abs(tf.sub(net.forward(bump, bicOf(bump), ctx), net.forward(base, bicOf(base), ctx)))
          .max(3),
      );
      const d = diff.arraySync() as number[][][];
      let reach = 0;
      for (let y = 0; y < n * r; y++)
        for (let x = 0; x < n * r; x++)
          if (d[0][y][x] > 1e-6) {
            // LR pixel of this output pixel, distance from the bumped pixel.
            const dy = Math.abs(Math.floor(y / r) - (n >> 1));
            const dx = Math.abs(Math.floor(x / r) - (n >> 1));
            reach = Math.max(reach, dx, dy);
          }
      // VDSR's radius is rounded up to whole LR pixels and its input is the bilinear image.
      if (cfg.arch === 'vdsr-bnn') expect(reach, cfg.arch).toBeLessThanOrEqual(R);
      else expect(reach, cfg.arch).toBe(R);
      tf.dispose([base, bump, diff]);
      net.dispose();
    }
  });
});

describe('convLayers describes the network that buildNetwork builds', () => {
  it('one layer per weight variable, same names in forward order, kind and filter shape', () => {
    for (const scale of [2, 4] as const)
      for (const cfg of tinyConfigs(scale)) {
        const net = buildNetwork(cfg, 1);
        const vars = net.params.list();
        const prefix = vars[0].name.slice(0, vars[0].name.indexOf('/') + 1);
        const filters = vars.filter((v) => v.name.endsWith('/w'));
        const layers = convLayers(cfg);
        expect(layers.map((l) => `${prefix}${l.name}/w`)).toEqual(filters.map((v) => v.name));
        layers.forEach((l, i) => {
          expect(filters[i].shape).toEqual([l.kernel, l.kernel, l.cin / l.groups, l.cout]);
          // Binary layers carry τ and the scale s; float ones a bias.
          const has = (n: string) => vars.some((v) => v.name === `${prefix}${l.name}/${n}`);
          expect([has('tau'), has('s'), has('b')]).toEqual([l.binary, l.binary, !l.binary]);
        });
        net.dispose();
      }
  });
});
