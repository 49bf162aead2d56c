// The Chromium half of `npm run bench:infer` (and of e2e's WebGPU equality check): a bare page
// that registers the backends and kernels as the app's workers do and exposes window.srbnasInfer.
import * as tf from '@tensorflow/tfjs';
import '../src/worker/registerBackends';
import { describeAdapter } from '../src/worker/adapter';
import { compareEngines, timeEngine, type ModelBytes } from './inferCore';

async function fetchModel(dir: string): Promise<ModelBytes> {
  const json = (await (await fetch(`${dir}/model.json`)).json()) as {
    weightsManifest: { paths: string[] }[];
  };
  const weights = await (await fetch(`${dir}/${json.weightsManifest[0].paths[0]}`)).arrayBuffer();
  return { json, weights };
}

async function startBackend(backend: string): Promise<{ backend: string; adapter?: string }> {
  if (!(await tf.setBackend(backend))) throw new Error(`${backend} did not start`);
  await tf.ready();
  return {
    backend: tf.getBackend(),
    ...(backend === 'webgpu' ? { adapter: (await describeAdapter()).adapter } : {}),
  };
}

const api = {
  crossOriginIsolated: globalThis.crossOriginIsolated === true,
  async time(o: {
    backend: string;
    dir: string;
    engine: 'packed' | 'float';
    size: number;
    repeats: number;
    warmup?: number;
  }) {
    const b = await startBackend(o.backend);
    return {
      ...b,
      ...(await timeEngine(await fetchModel(o.dir), o.engine, o.size, o.repeats, 128, o.warmup)),
    };
  },
  async compare(o: { backend: string; packedDir: string; floatDir: string; size: number }) {
    const b = await startBackend(o.backend);
    return {
      ...b,
      ...(await compareEngines(
        await fetchModel(o.packedDir),
        await fetchModel(o.floatDir),
        o.size,
      )),
    };
  },
};

(window as unknown as { srbnasInfer: typeof api }).srbnasInfer = api;
document.body.dataset.ready = '1';
