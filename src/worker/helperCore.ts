import * as tf from '@tensorflow/tfjs';
import { checkImage } from '../core/image/image';
import { loadModel } from '../core/model/format';
import { compactTile, lrCropOf, upscaleTiles, warmUp } from '../core/model/infer';
import type { SRNetwork } from '../core/model/network';
import type { HelperCommand, HelperEvent } from './tilePool';

class Cancelled extends Error {}

/**
 * A tile helper's message handling (inferHelper.ts in the page, src/node/inferHelperThread.ts
 * in Node): its own copy of each model, the tiles of its share of a job, cancel between tiles.
 */
export function createHelper(
  post: (e: HelperEvent, transfer?: Transferable[]) => void,
  startBackend: (name: string) => Promise<string>,
  /** Lets a 'cancel' in between tiles (see UpscaleOptions.yieldEachTile). */
  yieldToEvents: () => Promise<void>,
): (cmd: HelperCommand) => void {
  const models = new Map<string, SRNetwork>();
  const cancelled = new Set<string>();
  let queue: Promise<void> = Promise.resolve();
  let warmed = false;

  async function handle(cmd: Exclude<HelperCommand, { type: 'cancel' }>): Promise<void> {
    try {
      switch (cmd.type) {
        case 'init':
          post({ type: 'ready', backend: await startBackend(cmd.backend) });
          return;
        case 'load': {
          models.get(cmd.id)?.dispose();
          const net = loadModel({ json: cmd.json, weights: cmd.weights }, { engine: 'packed' }).net;
          models.set(cmd.id, net);
          // Once per helper, as the studio worker does (UpscaleRunner.warm).
          if (cmd.warm && !warmed) {
            warmed = true;
            await warmUp(net, cmd.warm);
          }
          return;
        }
        case 'unload':
          models.get(cmd.id)?.dispose();
          models.delete(cmd.id);
          return;
        case 'run': {
          const net = models.get(cmd.model);
          if (!net) throw new Error(`helper: model ${cmd.model} is not loaded`);
          const img = checkImage(cmd.image, 'tile helper input');
          const wanted = new Set(cmd.indices);
          await upscaleTiles(
            net,
            img.width,
            img.height,
            lrCropOf(img),
            (t) => {
              // The tile's data is a view of this helper's WASM heap: send a copy of its kept part.
              const own = compactTile(t);
              post({ type: 'tile', jobId: cmd.jobId, tile: own }, [own.data.buffer]);
            },
            {
              tile: cmd.tile,
              only: (i) => wanted.has(i),
              onTile: () => {
                if (cancelled.has(cmd.jobId)) throw new Cancelled();
              },
              yieldEachTile: yieldToEvents,
            },
          );
          post({ type: 'done', jobId: cmd.jobId });
          return;
        }
      }
    } catch (e) {
      if (cmd.type === 'run' && e instanceof Cancelled)
        post({ type: 'done', jobId: cmd.jobId, cancelled: true });
      else
        post({
          type: 'error',
          ...(cmd.type === 'run' ? { jobId: cmd.jobId } : {}),
          message: e instanceof Error ? e.message : String(e),
        });
    } finally {
      if (cmd.type === 'run') cancelled.delete(cmd.jobId);
    }
  }

  return (cmd) => {
    if (cmd.type === 'cancel') cancelled.add(cmd.jobId);
    else queue = queue.then(() => handle(cmd));
  };
}

/** Start a tfjs backend by name in a helper; returns the backend it runs on. */
export async function startNamedBackend(name: string): Promise<string> {
  if (!(await tf.setBackend(name))) throw new Error(`${name} did not start`);
  await tf.ready();
  return tf.getBackend();
}
