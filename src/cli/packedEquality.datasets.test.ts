import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodePng } from '../node/image/codecNode';
import { toFloat, toRgb, toUint8 } from '../core/image/image';
import { upscaleFloat } from '../core/model/infer';
import { REPO_ROOT } from './io';
import { readModelDir } from './modelFiles';
import { CLI_TILE } from './modelRegistry';
import { startWasmBackend } from './nodeBackend';

// The equality: the shipped packed models (public/models/xN, XNOR-popcount kernel on
// WASM) against their float masters (models/float/xN, the float reference engine) on every Set5
// LR image: the same float output, so the same PNG.
const datasets = process.env.SRBNAS_DATASETS ?? path.resolve(REPO_ROOT, '../shared/datasets');
const present = existsSync(path.join(datasets, 'Set5'));
if (!present)
  console.warn(
    `[packedEquality.datasets] skipped: no datasets at ${datasets} (set SRBNAS_DATASETS)`,
  );

beforeAll(startWasmBackend);

describe.skipIf(!present)('packed = float on Set5 LR through the bundled models (WASM)', () => {
  for (const scale of [2, 3, 4]) {
    it(`x${scale}: max difference 0 (float output and 8-bit image)`, async () => {
      const packed = await readModelDir(path.join(REPO_ROOT, `public/models/x${scale}`));
      const float = await readModelDir(path.join(REPO_ROOT, `models/float/x${scale}`), {
        engine: 'float',
      });
      expect(packed.json.encoding).toBe('packed-1bit');
      expect(packed.net.engine).toBe('packed');
      expect(float.net.engine).toBe('float');
      const dir = path.join(datasets, 'Set5', `x${scale}`, 'LR');
      const names = readdirSync(dir).filter((f) => f.endsWith('.png'));
      expect(names.length).toBe(5);
      const report: Record<string, number> = {};
      for (const name of names) {
        const lr = decodePng(new Uint8Array(readFileSync(path.join(dir, name))));
        const x = toFloat(toRgb(lr));
        const a = await upscaleFloat(float.net, x, { tile: CLI_TILE });
        const b = await upscaleFloat(packed.net, x, { tile: CLI_TILE });
        let maxDiff = 0;
        for (let i = 0; i < a.data.length; i++)
          maxDiff = Math.max(maxDiff, Math.abs(a.data[i] - b.data[i]));
        // …and so the same 8-bit samples (the rounding step of docs/model-format.md §5).
        let maxGrey = 0;
        for (let i = 0; i < a.data.length; i++)
          maxGrey = Math.max(
            maxGrey,
            Math.abs(toUint8(a.data[i] * 255) - toUint8(b.data[i] * 255)),
          );
        report[name] = Math.max(maxDiff, maxGrey);
      }
      console.log(`[packedEquality] Set5 x${scale} max |float − packed| per image:`, report);
      expect(Object.values(report)).toEqual([0, 0, 0, 0, 0]);
      packed.net.dispose();
      float.net.dispose();
    });
  }
});
