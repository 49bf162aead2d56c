/**
 * Trained models for `--model` of `srbnas eval` / `srbnas upscale`: any path to a folder with a
 * model.json (or the model.json itself) written by `srbnas train`.
 */
import type { Image } from '../core/image/image';
import type { Upscaler } from '../core/metrics/evaluate';
import { describeArch } from '../core/model/config';
import { upscaleImage } from '../core/model/infer';
import { isModelPath, readModelDir } from './modelFiles';
import { startWasmBackend } from './nodeBackend';

/** Tile side for CLI inference (LR pixels): bounded memory on large inputs. */
export const CLI_TILE = 128;

/** An Upscaler for a saved model, or undefined when `p` is not a model path. */
export async function loadTrainedUpscaler(p: string): Promise<Upscaler | undefined> {
  if (!isModelPath(p)) return undefined;
  await startWasmBackend();
  const { net, json } = await readModelDir(p);
  const r = net.config.scale;
  console.error(`model ${json.name}: ${describeArch(net.config)}, ${json.counts.params} params`);
  return async (lr: Image, scale: number) => {
    if (scale !== r)
      throw new Error(`model ${json.name} upscales x${r}, not x${scale} (pass --scale ${r})`);
    return upscaleImage(net, lr, { tile: CLI_TILE });
  };
}
