import { copyImage, type Image } from '../core/image/image';
import type { ModelJSON } from '../core/model/format';
import type { GenotypeJSON } from '../core/search/genotype';
import {
  studioTransferables,
  type StudioCommand,
  type StudioEvent,
  type StudioTrainSettings,
} from '../worker/studioProtocol';
import { outputLimitMessage } from '../worker/outputLimit';
import { backendOrder, type BackendPref } from './configSpec';
import { dbAll, dbDelete, dbGet, dbPut } from './studioDb';
import { applyStudioEvent, getStudio, setStudio, type Job } from './studioStore';

/**
 * Side effects of the studio: owns the studio worker, turns files and button presses into
 * commands, keeps checkpoints and models in IndexedDB.
 */

let worker: Worker | null = null;
let memoryWaiters: ((m: { numTensors: number; numBytes: number }) => void)[] = [];
let lastTrain: { name: string; genotype: GenotypeJSON; settings: StudioTrainSettings } | null =
  null;
let trainImages: (() => Promise<{ name: string; image: Image }[]>) | null = null;

interface SavedCheckpoint {
  id: 'train';
  trainId: string;
  name: string;
  genotype: GenotypeJSON;
  settings: StudioTrainSettings;
  step: number;
  bytes: ArrayBuffer;
}

interface SavedModel {
  id: string;
  json: ModelJSON;
  weights: ArrayBuffer;
}

const send = (cmd: StudioCommand) => worker?.postMessage(cmd, studioTransferables(cmd));

function onEvent(e: StudioEvent) {
  setStudio((s) => applyStudioEvent(s, e));
  switch (e.status) {
    case 'memory':
      memoryWaiters.forEach((w) => w(e));
      memoryWaiters = [];
      break;
    case 'train:checkpoint':
      if (lastTrain)
        void dbPut('checkpoints', {
          id: 'train',
          trainId: e.trainId,
          ...lastTrain,
          step: e.step,
          bytes: e.bytes,
        } satisfies SavedCheckpoint).catch(() => {});
      break;
    case 'train:model': {
      // The worker registered the trained net too; keep the files so a reload still has it.
      void dbPut('models', {
        id: `own:${e.json.name}`,
        json: e.json,
        weights: e.weights.slice(0),
      }).catch(() => {});
      break;
    }
  }
}

/** Start the studio worker (backend from ?backend=, as the playground), restore saved models. */
export function bootStudio(loadTrainImages: () => Promise<{ name: string; image: Image }[]>) {
  trainImages = loadTrainImages;
  worker?.terminate();
  try {
    worker = new Worker(new URL('../worker/studioWorker.ts', import.meta.url), {
      type: 'module',
    });
  } catch (e) {
    setStudio({ backend: { state: 'error', message: `could not start the worker: ${String(e)}` } });
    return;
  }
  worker.onmessage = (ev: MessageEvent<StudioEvent>) => onEvent(ev.data);
  worker.onerror = (ev) => {
    ev.preventDefault();
    setStudio({ backend: { state: 'error', message: ev.message || 'the studio worker stopped' } });
  };
  const pref = new URLSearchParams(location.search).get('backend') ?? 'auto';
  send({ type: 'init', backends: backendOrder(pref as BackendPref) });
  void loadBundledModels();
  dbAll<SavedModel>('models')
    .then((ms) => ms.forEach((m) => loadModel(m.id, m.json, m.weights)))
    .catch(() => {});
  dbGet<SavedCheckpoint>('checkpoints', 'train')
    .then((c) => {
      if (c && !getStudio().train)
        setStudio({
          train: {
            trainId: c.trainId,
            status: 'paused',
            step: c.step,
            totalSteps: c.settings.config.epochs * c.settings.config.stepsPerEpoch,
            loss: [],
            val: [],
            valBicubic: null,
            checkpointStep: c.step,
            message: 'restored from the checkpoint in this browser: Resume continues it',
          },
        });
      if (c) lastTrain = { name: c.name, genotype: c.genotype, settings: c.settings };
    })
    .catch(() => {});
}

export function shutdownStudio() {
  worker?.terminate();
  worker = null;
}

/** public/models/index.json lists the bundled defaults: [{ id, path }] (folder with model.json). */
async function loadBundledModels() {
  const base = import.meta.env.BASE_URL;
  let list: { id: string; path: string }[];
  try {
    const res = await fetch(`${base}models/index.json`);
    if (!res.ok) return;
    list = (await res.json()) as typeof list;
  } catch {
    return;
  }
  for (const m of list) {
    try {
      const json = (await (await fetch(`${base}${m.path}/model.json`)).json()) as ModelJSON;
      const bin = json.weightsManifest[0].paths[0];
      const weights = await (await fetch(`${base}${m.path}/${bin}`)).arrayBuffer();
      loadModel(`bundled:${m.id}`, json, weights);
    } catch (e) {
      setStudio({ modelError: `bundled model ${m.id}: ${String(e)}` });
    }
  }
}

function loadModel(id: string, json: unknown, weights: ArrayBuffer) {
  send({ type: 'model:load', id, json, weights });
}

/** Load a model exported by the CLI or the studio: model.json plus the .bin it names. */
export async function loadModelFiles(files: File[]) {
  const jsonFile = files.find((f) => f.name.endsWith('.json'));
  if (!jsonFile) {
    setStudio({ modelError: 'pick model.json together with its weights file (weights.bin)' });
    return;
  }
  let json: ModelJSON;
  try {
    json = JSON.parse(await jsonFile.text()) as ModelJSON;
  } catch (e) {
    setStudio({ modelError: `${jsonFile.name}: not valid JSON (${String(e)})` });
    return;
  }
  const binName = json?.weightsManifest?.[0]?.paths?.[0];
  const bin = files.find((f) => f.name === binName) ?? files.find((f) => f.name.endsWith('.bin'));
  if (!bin) {
    setStudio({
      modelError: `${jsonFile.name}: also pick its weights file (${binName ?? '*.bin'})`,
    });
    return;
  }
  const weights = await bin.arrayBuffer();
  const id = `own:${json.name ?? jsonFile.name}`;
  void dbPut('models', { id, json, weights: weights.slice(0) }).catch(() => {});
  loadModel(id, json, weights);
}

export function removeModel(id: string) {
  send({ type: 'model:unload', id });
  void dbDelete('models', id).catch(() => {});
  setStudio((s) => ({
    models: s.models.filter((m) => m.id !== id),
    selected: s.selected === id ? 'bicubic' : s.selected,
  }));
}

let jobCounter = 0;

/** Queue decoded inputs for upscaling with the selected model (one job each). */
export function queueUpscales(inputs: { name: string; image: Image; notes: string[] }[]) {
  const s = getStudio();
  const model = s.selected;
  const info = s.models.find((m) => m.id === model);
  const r = info ? info.architecture.scale : s.bicubicScale;
  const jobs: Job[] = [];
  for (const inp of inputs) {
    const id = `job-${Date.now().toString(36)}-${jobCounter++}`;
    const w = s.mode === 'evaluate' ? Math.floor(inp.image.width / r) : inp.image.width;
    const h = s.mode === 'evaluate' ? Math.floor(inp.image.height / r) : inp.image.height;
    const limit = outputLimitMessage(w, h, r);
    const job: Job = {
      id,
      name: inp.name,
      mode: s.mode,
      model,
      input: inp.image,
      notes: inp.notes,
      status: limit ? 'error' : 'queued',
      done: 0,
      total: 0,
      ...(limit ? { message: `${inp.name}: ${limit}` } : {}),
    };
    jobs.push(job);
    if (!limit)
      send({
        type: 'upscale',
        jobId: id,
        model,
        scale: r,
        image: copyImage(inp.image),
        mode: s.mode,
      });
  }
  setStudio((st) => ({ jobs: [...jobs.reverse(), ...st.jobs] }));
  return jobs.map((j) => j.id);
}

export function cancelJob(id: string) {
  send({ type: 'upscale:cancel', jobId: id });
}

export function removeJob(id: string) {
  cancelJob(id);
  setStudio((s) => ({ jobs: s.jobs.filter((j) => j.id !== id) }));
}

export function reportInputError(message: string) {
  setStudio((s) => ({ inputErrors: [message, ...s.inputErrors].slice(0, 20) }));
}

/** tf.memory() of the studio worker (tensors and bytes), also stored for the UI. */
export function queryMemory(): Promise<{ numTensors: number; numBytes: number }> {
  return new Promise((resolve) => {
    memoryWaiters.push(resolve);
    send({ type: 'memory' });
  });
}

/** Start a fresh training run (or continue the saved checkpoint with `resumeSaved`). */
export async function startTraining(
  name: string,
  genotype: GenotypeJSON,
  settings: StudioTrainSettings,
) {
  await launchTraining({ name, genotype, settings }, undefined);
}

async function launchTraining(
  t: { name: string; genotype: GenotypeJSON; settings: StudioTrainSettings },
  checkpoint: SavedCheckpoint | undefined,
) {
  if (!trainImages) return;
  const trainId = checkpoint?.trainId ?? `train-${Date.now().toString(36)}`;
  lastTrain = t;
  setStudio({
    train: {
      trainId,
      status: 'starting',
      step: checkpoint?.step ?? 0,
      totalSteps: t.settings.config.epochs * t.settings.config.stepsPerEpoch,
      loss: [],
      val: [],
      valBicubic: null,
    },
  });
  let images;
  try {
    images = await trainImages();
  } catch (e) {
    setStudio((s) =>
      s.train ? { train: { ...s.train, status: 'error', message: String(e) } } : {},
    );
    return;
  }
  send({
    type: 'train:start',
    trainId,
    name: t.name,
    genotype: t.genotype,
    settings: t.settings,
    images: images.map((i) => ({ name: i.name, image: copyImage(i.image) })),
    ...(checkpoint ? { checkpoint: checkpoint.bytes } : {}),
  });
}

export function pauseTraining() {
  const t = getStudio().train;
  if (t) send({ type: 'train:pause', trainId: t.trainId });
}

/** Resume the live run, or (after a reload) continue from the checkpoint in IndexedDB. */
export async function resumeTraining() {
  const t = getStudio().train;
  if (!t) return;
  if (t.loss.length > 0 || t.status === 'running') {
    send({ type: 'train:resume', trainId: t.trainId });
    setStudio({ train: { ...t, status: 'running' } });
    return;
  }
  const c = await dbGet<SavedCheckpoint>('checkpoints', 'train').catch(() => undefined);
  if (!c) {
    setStudio({ train: { ...t, status: 'error', message: 'no checkpoint saved in this browser' } });
    return;
  }
  await launchTraining({ name: c.name, genotype: c.genotype, settings: c.settings }, c);
}

export function stopTraining() {
  const t = getStudio().train;
  if (t) send({ type: 'train:stop', trainId: t.trainId });
}

export function exportTraining() {
  const t = getStudio().train;
  if (t) send({ type: 'train:export', trainId: t.trainId });
}

export function selectModel(id: string) {
  setStudio({ selected: id });
}
