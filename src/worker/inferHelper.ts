/// <reference lib="webworker" />
// A tile helper: one more tfjs WASM instance (its own thread) that runs tiles of an upscale for
// the studio worker, so inference uses every core without shared memory (tfjs' threaded WASM
// build hung here, DESIGN §4). Tiles are exact wherever they run (infer.ts), so the assembled
// image equals a one-thread run bit for bit.
import * as tf from '@tensorflow/tfjs';
import './registerBackends';
import { loadModel } from '../core/model/format';
import { lrCropOf, upscaleTiles } from '../core/model/infer';
import type { SRNetwork } from '../core/model/network';
import type { HelperCommand, HelperEvent } from './tilePool';
import { toImage } from './upscaleRunner';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const post = (e: HelperEvent, transfer: Transferable[] = []) => scope.postMessage(e, transfer);
const models = new Map<string, SRNetwork>();
const cancelled = new Set<string>();
class Cancelled extends Error {}

let queue: Promise<void> = Promise.resolve();
scope.onmessage = (ev: MessageEvent<HelperCommand>) => {
  const cmd = ev.data;
  if (cmd.type === 'cancel') {
    cancelled.add(cmd.jobId);
    return;
  }
  queue = queue.then(() => handle(cmd));
};

async function handle(cmd: Exclude<HelperCommand, { type: 'cancel' }>): Promise<void> {
  try {
    switch (cmd.type) {
      case 'init':
        if (!(await tf.setBackend(cmd.backend))) throw new Error(`${cmd.backend} did not start`);
        await tf.ready();
        post({ type: 'ready', backend: tf.getBackend() });
        return;
      case 'load':
        models.get(cmd.id)?.dispose();
        models.set(
          cmd.id,
          loadModel({ json: cmd.json, weights: cmd.weights }, { engine: 'packed' }).net,
        );
        return;
      case 'unload':
        models.get(cmd.id)?.dispose();
        models.delete(cmd.id);
        return;
      case 'run': {
        const net = models.get(cmd.model);
        if (!net) throw new Error(`helper: model ${cmd.model} is not loaded`);
        const img = toImage(cmd.image);
        const wanted = new Set(cmd.indices);
        await upscaleTiles(
          net,
          img.width,
          img.height,
          lrCropOf(img),
          (t) => post({ type: 'tile', jobId: cmd.jobId, tile: t }, [t.data.buffer]),
          {
            tile: cmd.tile,
            only: (i) => wanted.has(i),
            onTile: () => {
              if (cancelled.has(cmd.jobId)) throw new Cancelled();
            },
          },
        );
        post({ type: 'done', jobId: cmd.jobId });
        return;
      }
    }
  } catch (e) {
    const jobId = cmd.type === 'run' ? cmd.jobId : undefined;
    if (e instanceof Cancelled) post({ type: 'done', jobId: jobId!, cancelled: true });
    else post({ type: 'error', jobId, message: e instanceof Error ? e.message : String(e) });
  } finally {
    if (cmd.type === 'run') cancelled.delete(cmd.jobId);
  }
}
