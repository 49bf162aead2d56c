/**
 * Trained models for `--model` of `srbnas eval` / `srbnas upscale`: any path to a folder with a
 * model.json (or the model.json itself) written by `srbnas train`.
 */
import type { Image } from '../core/image/image';
import type { Upscaler } from '../core/metrics/evaluate';
import { describeArch } from '../core/model/config';
import { upscaleImage } from '../core/model/infer';
import type { Engine } from '../core/model/network';
import { nodeTilePool } from '../node/tileHelpers';
import { upscaleImageShared } from '../worker/tilePool';
import { isModelPath, readModelDir, readModelFiles } from './modelFiles';
import { startWasmBackend } from './nodeBackend';

/**
 * Tile side for CLI inference (LR pixels): bounded memory on large inputs (≈ 260 MB of tensors at
 * C = 32), and little overlap to recompute (a 21-pixel context costs 1.36× at 256, 1.76× at 128).
 */
export const CLI_TILE = 256;

/**
 * The engine trained models run on unless --engine says otherwise: packed (XNOR-popcount; the
 * float engine is the reference and gives the same output, docs/model-format.md §7).
 */
export const DEFAULT_ENGINE: Engine = 'packed';

/** A saved model's Upscaler, with the one scale it was trained for; dispose() ends its threads. */
export type TrainedUpscaler = Upscaler & { scale: number; dispose: () => void };

/**
 * An Upscaler for a saved model, or undefined when `p` is not a model path. `tile` is the LR tile
 * side (0 = the whole image in one piece, for checking that tiling leaves no seams). `threads` > 1
 * (packed engine only) shares the tiles with threads − 1 helper threads, each its own tfjs WASM.
 */
export async function loadTrainedUpscaler(
  p: string,
  tile = CLI_TILE,
  engine: Engine = DEFAULT_ENGINE,
  threads = 1,
): Promise<TrainedUpscaler | undefined> {
  if (!isModelPath(p)) return undefined;
  await startWasmBackend();
  const files = await readModelFiles(p);
  const { net, json } = await readModelDir(p, { engine });
  const r = net.config.scale;
  const pool = engine === 'packed' && threads > 1 ? nodeTilePool(threads - 1) : null;
  if (pool) {
    await pool.ready;
    pool.load('m', files.json, files.weights);
  }
  console.error(
    `model ${json.name}: ${describeArch(net.config)}, ${json.counts.params} params, ${engine} engine` +
      (json.encoding === 'packed-1bit' ? ' (packed file)' : '') +
      (pool ? `, ${threads} threads` : ''),
  );
  let jobs = 0;
  const upscaler = async (lr: Image, scale: number) => {
    if (scale !== r)
      throw new Error(`model ${json.name} upscales x${r}, not x${scale} (pass --scale ${r})`);
    const t = tile > 0 ? tile : Infinity;
    if (pool && Number.isFinite(t))
      return upscaleImageShared(net, lr, t, () => {}, {
        helpers: pool,
        modelId: 'm',
        jobId: `cli${jobs++}`,
      });
    return upscaleImage(net, lr, { tile: t });
  };
  return Object.assign(upscaler, {
    scale: r,
    dispose: () => {
      pool?.dispose();
      net.dispose();
    },
  });
}
