/// <reference lib="webworker" />
import * as tf from '@tensorflow/tfjs';
import './registerBackends';
import { chooseBackend, type BackendChoice } from '../core/backend';
import { describeAdapter } from './adapter';
import type { ModelJSON } from '../core/model/format';
import { studioTransferables, type StudioCommand, type StudioEvent } from './studioProtocol';
import { WorkerHost } from './host';
import { TrainRunner } from './trainRunner';
import { TilePool } from './tilePool';
import { modelInfo, STUDIO_TILE, UpscaleRunner } from './upscaleRunner';

const host = new WorkerHost<StudioCommand, StudioEvent>(
  self as unknown as DedicatedWorkerGlobalScope,
  studioTransferables,
);
const post = host.post;

const upscaler = new UpscaleRunner(post, undefined, host.yieldToEvents);
const trainer = new TrainRunner(
  post,
  host.yieldToEvents,
  () => tf.getBackend(),
  (id, net, json) => {
    upscaler.addNetwork(id, net);
    post({ status: 'model:loaded', id, info: modelInfo(id, json as ModelJSON) });
  },
);

/**
 * "auto" means fastest for inference: the usual order (WebGPU first), except that a software
 * WebGPU adapter (SwiftShader: no GPU does the work) gives way to WASM, where the packed engine's
 * XNOR-popcount kernel runs (measured: `npm run bench:infer`). The reason is reported and shown.
 */
async function chooseStudioBackend(order?: string[]): Promise<BackendChoice & { note?: string }> {
  const choice = await chooseBackend(order);
  if (order || choice.name !== 'webgpu') return choice;
  const a = await describeAdapter();
  if (!a.softwareAdapter) return choice;
  try {
    const wasm = await chooseBackend(['wasm']);
    const why = `software adapter (${a.adapter ?? 'unknown'}): WASM with the packed kernel is faster`;
    return {
      name: wasm.name,
      skipped: [...choice.skipped, { name: 'webgpu', error: why }],
      note: `auto: WebGPU is a ${why}`,
    };
  } catch {
    await chooseBackend(['webgpu']);
    return choice;
  }
}

/**
 * On WASM, one tile helper per further core (at most 3): tfjs runs one thread per instance, so
 * the helpers are what lets an upscale use the machine's cores. Without nested workers (or if a
 * helper fails to start within 30 s) the studio simply runs on one thread.
 */
async function startTilePool(): Promise<void> {
  const n = Math.min(3, (navigator.hardwareConcurrency || 1) - 1);
  if (n < 1 || typeof Worker === 'undefined') return;
  try {
    const pool = new TilePool(
      n,
      'wasm',
      () => new Worker(new URL('./inferHelper.ts', import.meta.url), { type: 'module' }),
    );
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([
      pool.ready,
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('tile helpers did not start')), 30_000);
      }),
    ]).finally(() => clearTimeout(timer));
    upscaler.pool = pool;
  } catch {
    upscaler.pool = null;
  }
}

// Commands run in order (an upscale must not overtake init or a model load); cancel, pause and
// memory are answered at once so they work while a job or training run is busy.
host.serve({
  init: async (cmd) => {
    const choice = await chooseStudioBackend(cmd.backends);
    if (choice.name === 'wasm') {
      await startTilePool();
      upscaler.warmTile = STUDIO_TILE;
    }
    return {
      status: 'ready',
      backend: choice.name,
      skipped: choice.skipped,
      ...(choice.note ? { note: choice.note } : {}),
      ...(upscaler.pool ? { threads: upscaler.pool.size + 1 } : {}),
    };
  },
  immediate: (cmd) => {
    switch (cmd.type) {
      case 'upscale:cancel':
        upscaler.cancel(cmd.jobId);
        return true;
      case 'train:pause':
        trainer.pause(cmd.trainId);
        return true;
      case 'memory': {
        const m = tf.memory();
        post({ status: 'memory', numTensors: m.numTensors, numBytes: m.numBytes });
        return true;
      }
      default:
        return false;
    }
  },
  handle: async (cmd) => {
    switch (cmd.type) {
      case 'model:load':
        upscaler.load(cmd.id, cmd.json, cmd.weights);
        // The warm-up waits behind the commands that follow at once (the other bundled models,
        // a model or photo the user gives right away): it only spares the first photo the
        // engine's start-up, it must not delay anything already asked for.
        host.later(() => upscaler.warm(cmd.id));
        return true;
      case 'model:unload':
        upscaler.unload(cmd.id);
        return true;
      case 'upscale':
        await upscaler.run(cmd);
        return true;
      case 'train:start':
        await trainer.start(cmd);
        return true;
      case 'train:resume':
        trainer.resume(cmd.trainId);
        return true;
      case 'train:stop':
        await trainer.stop(cmd.trainId);
        return true;
      case 'train:export':
        await trainer.exportModel(cmd.trainId);
        return true;
      default:
        return false;
    }
  },
  failed: (cmd, message) => ({
    status: 'error',
    ...('trainId' in cmd ? { trainId: cmd.trainId } : 'jobId' in cmd ? { jobId: cmd.jobId } : {}),
    message,
  }),
});
