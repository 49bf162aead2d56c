/**
 * Trained models for `--model` of `srbnas eval` / `srbnas upscale`: any path to a folder with a
 * model.json (or the model.json itself) written by `srbnas train`.
 */
import type { Image } from '../core/image/image';
import type { Upscaler } from '../core/metrics/evaluate';
import { describeArch } from '../core/model/config';
import { upscaleImage } from '../core/model/infer';
import type { Engine } from '../core/model/network';
import { isModelPath, readModelDir } from './modelFiles';
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

/** A saved model's Upscaler, with the one scale it was trained for. */
export type TrainedUpscaler = Upscaler & { scale: number };

/**
 * An Upscaler for a saved model, or undefined when `p` is not a model path. `tile` is the LR tile
 * side (0 = the whole image in one piece, for checking that tiling leaves no seams).
 */
export async function loadTrainedUpscaler(
  p: string,
  tile = CLI_TILE,
  engine: Engine = DEFAULT_ENGINE,
): Promise<TrainedUpscaler | undefined> {
  if (!isModelPath(p)) return undefined;
  await startWasmBackend();
  const { net, json } = await readModelDir(p, { engine });
  const r = net.config.scale;
  console.error(
    `model ${json.name}: ${describeArch(net.config)}, ${json.counts.params} params, ${engine} engine` +
      (json.encoding === 'packed-1bit' ? ' (packed file)' : ''),
  );
  const upscaler = async (lr: Image, scale: number) => {
    if (scale !== r)
      throw new Error(`model ${json.name} upscales x${r}, not x${scale} (pass --scale ${r})`);
    return upscaleImage(net, lr, { tile: tile > 0 ? tile : Infinity });
  };
  return Object.assign(upscaler, { scale: r });
}
