import { copyImage, type Image } from '../../core/image/image';
import type { ModelJSON } from '../../core/model/format';
import type { GenotypeJSON } from '../../core/search/genotype';
import { startWorker, studioWorker, type WorkerHandle } from '../../worker/client';
import type { StudioCommand, StudioEvent, StudioTrainSettings } from '../../worker/studioProtocol';
import { outputLimitMessage } from '../../worker/outputLimit';
import { backendOrder, type BackendPref } from '../shared/backendPref';
import { dbAll, dbDelete, dbGet, dbPut } from './studioDb';
import {
  addStudioWarning,
  applyStudioEvent,
  getStudio,
  setStudio,
  type Job,
  type StudioState,
} from './studioStore';

/**
 * Side effects of the studio: owns the studio worker, turns files and button presses into
 * commands, keeps checkpoints and models in IndexedDB.
 */

let worker: WorkerHandle<StudioCommand> | null = null;
/**
 * Every model the worker holds (bundled, saved, picked, trained), with a copy of its weights:
 * a restarted worker gets them all back without refetching or a trip to IndexedDB.
 */
const loaded = new Map<string, { json: unknown; weights: ArrayBuffer }>();
/** Models being loaded again after a crash, and the selection to keep meanwhile. */
let reloading: { ids: Set<string>; selected: string } | null = null;
type Memory = { numTensors: number; numBytes: number };
let memoryWaiters: { resolve: (m: Memory) => void; reject: (e: Error) => void }[] = [];
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

/** Sends a command; false when there is no live worker (it crashed: the banner offers a restart). */
function send(cmd: StudioCommand): boolean {
  if (!worker || worker.dead) return false;
  worker.send(cmd);
  return true;
}

/** A problem worth telling the user that stops nothing now (e.g. a save to IndexedDB failed). */
function warn(text: string) {
  console.warn(`studio: ${text}`);
  setStudio((s) => addStudioWarning(s, text));
}

/** Saves to IndexedDB go on in the background; a failure is reported, not swallowed. */
function saving(p: Promise<unknown>, what: string) {
  p.catch((e: unknown) => warn(`could not save ${what} in this browser: ${errText(e)}`));
}

const errText = (e: unknown) => (e instanceof Error ? e.message : String(e));

function onEvent(e: StudioEvent) {
  setStudio((s) => applyStudioEvent(s, e));
  switch (e.status) {
    case 'model:loaded':
      if (reloading?.ids.delete(e.id)) setStudio({ selected: reloading.selected });
      break;
    case 'memory':
      memoryWaiters.forEach((w) => w.resolve(e));
      memoryWaiters = [];
      break;
    case 'error':
      // A worker that crashed answers nothing more.
      if (e.code) {
        memoryWaiters.forEach((w) =>
          w.reject(new Error(`the studio worker stopped: ${e.message}`)),
        );
        memoryWaiters = [];
      }
      break;
    case 'train:checkpoint':
      if (lastTrain)
        saving(
          dbPut('checkpoints', {
            id: 'train',
            trainId: e.trainId,
            ...lastTrain,
            step: e.step,
            bytes: e.bytes,
          } satisfies SavedCheckpoint),
          `the training checkpoint of step ${e.step}`,
        );
      break;
    case 'train:model': {
      // The worker registered the trained net too (as e.modelId); keep the files so a reload
      // (or a restarted worker) still has it.
      loaded.set(e.modelId, { json: e.json, weights: e.weights.slice(0) });
      saving(
        dbPut('models', { id: `own:${e.json.name}`, json: e.json, weights: e.weights.slice(0) }),
        `the trained model ${e.json.name}`,
      );
      break;
    }
  }
}

function startStudioWorker() {
  worker?.terminate();
  worker = startWorker(studioWorker, onEvent);
  const pref =
    typeof location === 'undefined' ? null : new URLSearchParams(location.search).get('backend');
  send({ type: 'init', backends: backendOrder((pref ?? 'auto') as BackendPref) });
}

/** Start the studio worker (backend from ?backend=, as the playground), restore saved models. */
export function bootStudio(loadTrainImages: () => Promise<{ name: string; image: Image }[]>) {
  trainImages = loadTrainImages;
  loaded.clear();
  startStudioWorker();
  void loadBundledModels();
  dbAll<SavedModel>('models')
    .then((ms) => ms.forEach((m) => loadModel(m.id, m.json, m.weights)))
    .catch((e: unknown) => warn(`saved models unavailable: ${errText(e)}`));
  dbGet<SavedCheckpoint>('checkpoints', 'train')
    .then((c) => {
      if (c && !getStudio().train)
        setStudio({ train: restoredTrain(c, 'restored from the checkpoint in this browser') });
      if (c) lastTrain = { name: c.name, genotype: c.genotype, settings: c.settings };
    })
    .catch((e: unknown) => warn(`the saved training checkpoint is unavailable: ${errText(e)}`));
}

/** A paused run shown from a saved checkpoint: Resume continues it in the worker. */
const restoredTrain = (c: SavedCheckpoint, why: string): NonNullable<StudioState['train']> => ({
  trainId: c.trainId,
  status: 'paused',
  step: c.step,
  totalSteps: c.settings.config.epochs * c.settings.config.stepsPerEpoch,
  loss: [],
  val: [],
  valBicubic: null,
  checkpointStep: c.step,
  message: `${why}: Resume continues it`,
});

/**
 * After a crash: a fresh worker with every model back, the interrupted upscales queued again,
 * and an interrupted training run continued from its last checkpoint (a paused one is restored
 * as paused there; one without a checkpoint starts over with the same settings).
 */
export async function restartStudio() {
  const before = getStudio();
  setStudio({ crash: null, backend: { state: 'starting' } });
  startStudioWorker();
  // Loading selects each model in turn: the reloads keep the user's choice instead.
  reloading = { ids: new Set(loaded.keys()), selected: before.selected };
  for (const [id, m] of loaded)
    send({ type: 'model:load', id, json: m.json, weights: m.weights.slice(0) });
  const again = before.jobs.filter((j) => j.interrupted);
  for (const j of again) sendJob(j);
  if (again.length)
    setStudio((s) => ({
      jobs: s.jobs.map((j) =>
        again.some((a) => a.id === j.id)
          ? { ...j, status: 'queued', interrupted: false, message: undefined, done: 0, total: 0 }
          : j,
      ),
    }));
  const t = before.train;
  if (!t?.interrupted) return;
  const c = await dbGet<SavedCheckpoint>('checkpoints', 'train').catch((e: unknown) => {
    warn(`the saved training checkpoint is unavailable: ${errText(e)}`);
    return undefined;
  });
  const mine = c && c.trainId === t.trainId ? c : undefined;
  if (t.interrupted === 'paused') {
    if (mine)
      setStudio({ train: restoredTrain(mine, `restored from step ${mine.step} after the crash`) });
    return;
  }
  if (mine)
    await launchTraining(
      { name: mine.name, genotype: mine.genotype, settings: mine.settings },
      mine,
    );
  else if (lastTrain) {
    warn(`training ${t.trainId} had no saved checkpoint: it starts over`);
    await launchTraining(lastTrain, undefined);
  }
}

/** Test hook (e2e): make the studio worker throw an uncaught error. */
export function debugCrashStudio() {
  send({ type: 'debug:crash' });
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
  loaded.set(id, { json, weights: weights.slice(0) });
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
  saving(
    dbPut('models', { id, json, weights: weights.slice(0) }),
    `the model ${json.name ?? jsonFile.name}`,
  );
  loadModel(id, json, weights);
}

export function removeModel(id: string) {
  send({ type: 'model:unload', id });
  loaded.delete(id);
  dbDelete('models', id).catch((e: unknown) =>
    warn(
      `could not remove the model ${id} from this browser (it returns after a reload): ${errText(e)}`,
    ),
  );
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
      scale: r,
      input: inp.image,
      notes: inp.notes,
      status: limit ? 'error' : 'queued',
      done: 0,
      total: 0,
      ...(limit ? { message: `${inp.name}: ${limit}` } : {}),
    };
    if (!limit && !sendJob(job))
      Object.assign(job, {
        status: 'error',
        interrupted: true,
        message: 'the studio worker stopped: restart it to run this',
      });
    jobs.push(job);
  }
  setStudio((st) => ({ jobs: [...jobs.reverse(), ...st.jobs] }));
  return jobs.map((j) => j.id);
}

function sendJob(job: Job): boolean {
  return send({
    type: 'upscale',
    jobId: job.id,
    model: job.model,
    scale: job.scale,
    image: copyImage(job.input),
    mode: job.mode,
  });
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
export function queryMemory(): Promise<Memory> {
  return new Promise((resolve, reject) => {
    if (send({ type: 'memory' })) memoryWaiters.push({ resolve, reject });
    else reject(new Error('the studio worker stopped: restart it first'));
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
  const sent = send({
    type: 'train:start',
    trainId,
    name: t.name,
    genotype: t.genotype,
    settings: t.settings,
    images: images.map((i) => ({ name: i.name, image: copyImage(i.image) })),
    ...(checkpoint ? { checkpoint: checkpoint.bytes } : {}),
  });
  if (!sent)
    setStudio((s) =>
      s.train?.trainId === trainId
        ? {
            train: {
              ...s.train,
              status: 'error',
              interrupted: 'running',
              message: 'the studio worker stopped: restart it to train',
            },
          }
        : {},
    );
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
  let c: SavedCheckpoint | undefined;
  let why = 'no checkpoint saved in this browser';
  try {
    c = await dbGet<SavedCheckpoint>('checkpoints', 'train');
  } catch (e) {
    why = `the saved checkpoint cannot be read: ${errText(e)}`;
  }
  if (!c) {
    setStudio({ train: { ...t, status: 'error', message: why } });
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
