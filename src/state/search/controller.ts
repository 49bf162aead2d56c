import type { LiveSettings, SearchConfig } from '../../core/search/types';
import { searchWorker, startWorker, type WorkerHandle } from '../../worker/client';
import type { WorkerCommand, WorkerEvent } from '../../worker/protocol';
import { copyImage, type NamedImage } from '../../core/image/image';
import { backendOrder, type BackendPref } from '../shared/backendPref';
import { LIVE_KEYS, formatSettings } from '../../core/search/params';
import { loadResume, loadRuns, resumableIds, saveResume, saveRun } from './runsDb';
import type { RunRecord } from './runRecord';
import { addLog, applyEvent, getState, newRun, setState, type TrainingImage } from './store';
import { pageQuery } from './urlConfig';

/**
 * The side-effecting half of the page state: owns the worker, turns button presses into
 * protocol commands, feeds worker events through the pure reducer and persists runs.
 */

let worker: WorkerHandle<WorkerCommand> | null = null;
let stepAfterStart = false;
let lastSave = 0;
let imageLoader: (() => Promise<TrainingImage[]>) | null = null;
/** The current run's training images (kept to save with its checkpoint). */
let runImages: NamedImage[] = [];

const copyImages = (list: NamedImage[]): NamedImage[] =>
  list.map(({ name, image }) => ({ name, image: copyImage(image) }));

const log = (text: string, level: 'info' | 'warn' | 'error' = 'info') =>
  setState((s) => addLog(s, text, level));

function persist(r: RunRecord | null, force: boolean) {
  if (!r) return;
  const now = Date.now();
  if (!force && now - lastSave < 2000) return;
  lastSave = now;
  saveRun(r).catch((e: unknown) => log(`could not save the run: ${String(e)}`, 'warn'));
}

function onEvent(e: WorkerEvent) {
  setState((s) => applyEvent(s, e));
  const s = getState();
  if ('runId' in e && e.runId !== undefined && e.runId !== s.runId) return;
  switch (e.status) {
    case 'search:progress':
      persist(s.current, false);
      break;
    case 'search:paused':
      persist(s.current, true);
      if (stepAfterStart && e.step === 0) {
        stepAfterStart = false;
        worker?.send({ type: 'search:step', runId: s.runId });
      }
      break;
    case 'search:checkpoint': {
      const id = e.runId;
      saveResume({ id, checkpoint: e.checkpoint, images: runImages })
        .then(() =>
          setState((st) => ({
            resumable: [...new Set([...st.resumable, id])],
            ...addLog(
              st,
              `checkpoint saved at step ${e.checkpoint.step} (resumable after a reload)`,
            ),
          })),
        )
        .catch((err: unknown) => log(`could not save the checkpoint: ${String(err)}`, 'warn'));
      break;
    }
    case 'search:started':
    case 'search:initial':
    case 'search:done':
    case 'error':
      persist(s.current, true);
      break;
  }
}

/** Starts the worker and restores saved runs. `loadImages` supplies the default images. */
export function boot(loadImages: () => Promise<TrainingImage[]>) {
  imageLoader = loadImages;
  worker?.terminate();
  worker = startWorker(searchWorker, onEvent);
  worker.send({ type: 'init', backends: backendOrder(getState().backendPref) });
  loadRuns()
    .then((runs) => {
      // Runs that were live when the page went away cannot resume: say so instead.
      const fixed = runs.map((r) =>
        r.status === 'running' || r.status === 'starting' ? { ...r, status: 'paused' as const } : r,
      );
      setState((s) => ({
        runs: [...s.runs.filter((r) => !fixed.some((f) => f.id === r.id)), ...fixed],
      }));
      if (fixed.length) log(`restored ${fixed.length} saved run(s) from IndexedDB`);
      return resumableIds().then((resumable) => setState({ resumable }));
    })
    .catch((e: unknown) => log(`saved runs unavailable: ${String(e)}`, 'warn'));
}

export function shutdown() {
  worker?.terminate();
  worker = null;
}

function newRunId(): string {
  return `run-${Date.now().toString(36)}-${Math.floor(Math.random() * 1e6).toString(36)}`;
}

async function start(config: SearchConfig, paused: boolean) {
  let images = getState().images;
  if (images.length === 0 && imageLoader) {
    try {
      images = await imageLoader();
      setState({ images, imagesError: null });
    } catch (e) {
      setState({ imagesError: String(e) });
    }
  }
  if (images.length === 0) {
    log('no training images: pick or drop some images first', 'error');
    return;
  }
  const runId = newRunId();
  const current = newRun(runId, config);
  setState((s) => ({
    runId,
    status: 'starting',
    latest: null,
    initial: null,
    history: { older: [], recent: [] },
    totalSteps: current.totalSteps,
    current,
    runs: [current, ...s.runs],
    crash: null,
    ...addLog(
      s,
      `start ${runId}: x${config.scale}, ${config.cells} cell(s), C=${config.channels}, k=${config.k}, batch ${config.batch}, patch ${config.patch}, ${images.length} image(s)`,
    ),
  }));
  runImages = images.map(({ name, image }) => ({ name, image }));
  // Copies are transferred; the page keeps its own pixels for the next run and the checkpoint.
  worker?.send({ type: 'search:start', runId, config, images: copyImages(runImages), paused });
}

export function play() {
  const s = getState();
  if (s.status === 'crashed') restartAfterCrash();
  else if (s.status === 'paused') {
    setState({ status: 'running' });
    worker?.send({ type: 'search:resume', runId: s.runId });
  } else if (s.status !== 'running' && s.status !== 'starting') void start(s.config, false);
}

export function pause() {
  const s = getState();
  if (s.status !== 'running') return;
  // The step in flight finishes first (seconds on a slow backend): show that we heard.
  setState({ pauseRequested: true });
  worker?.send({ type: 'search:pause', runId: s.runId });
}

export function step() {
  const s = getState();
  if (s.status === 'crashed') return; // the banner's restart comes first
  if (s.status === 'paused') worker?.send({ type: 'search:step', runId: s.runId });
  else if (s.status !== 'running' && s.status !== 'starting') {
    stepAfterStart = true;
    void start(s.config, true);
  }
}

export function reset() {
  const s = getState();
  if (s.runId) worker?.send({ type: 'search:reset', runId: s.runId });
  // The reset run stays in the list as stopped where it was (shown as paused).
  const live = s.current && (s.current.status === 'running' || s.current.status === 'starting');
  const current = s.current && live ? { ...s.current, status: 'paused' as const } : s.current;
  persist(current, true);
  setState({
    current,
    runs: current ? s.runs.map((r) => (r.id === current.id ? current : r)) : s.runs,
    pauseRequested: false,
    status: 'idle',
    runId: '',
    latest: null,
    initial: null,
    history: { older: [], recent: [] },
    totalSteps: 0,
  });
}

/**
 * Continue a saved run after a reload: its checkpoint (weights, α/β, optimiser moments, data
 * position) and the same training images, so the steps continue as if never paused.
 */
export async function resumeSaved(id: string) {
  const s = getState();
  if (s.status === 'running' || s.status === 'paused' || s.status === 'starting') return;
  const record = s.runs.find((r) => r.id === id);
  let saved;
  try {
    saved = await loadResume(id);
  } catch (e) {
    log(`run ${id}: the saved checkpoint cannot be read: ${String(e)}`, 'warn');
    return;
  }
  if (!record || !saved) {
    log(`run ${id} has no saved checkpoint`, 'warn');
    return;
  }
  const config: SearchConfig = { ...saved.checkpoint.config, ...saved.checkpoint.live };
  const current = { ...record, status: 'starting' as const };
  runImages = saved.images;
  setState((st) => ({
    runId: id,
    status: 'starting',
    config,
    latest: null,
    initial: null,
    history: { older: [], recent: [] },
    totalSteps: record.totalSteps,
    current,
    runs: st.runs.map((r) => (r.id === id ? current : r)),
    crash: null,
    ...addLog(st, `resume ${id} from step ${saved.checkpoint.step}`),
  }));
  syncUrl();
  worker?.send({
    type: 'search:start',
    runId: id,
    config: saved.checkpoint.config,
    images: copyImages(saved.images),
    checkpoint: saved.checkpoint,
  });
}

/** Changes the config; live settings also go to a running search, the URL follows. */
export function setConfig(partial: Partial<SearchConfig>) {
  const s = getState();
  const config = { ...s.config, ...partial };
  setState({ config });
  syncUrl();
  const live: Partial<LiveSettings> = {};
  for (const k of LIVE_KEYS) if (k in partial) Object.assign(live, { [k]: partial[k] });
  if (Object.keys(live).length && (s.status === 'running' || s.status === 'paused'))
    worker?.send({ type: 'search:setLive', runId: s.runId, partial: live });
}

/**
 * After a worker crash: a fresh worker, and the crashed run restarted as a new run with its
 * config, the live settings of its last snapshot, and any slider moves made after that
 * snapshot (they were sent but may not have reached a step before the crash).
 */
export function restartAfterCrash() {
  const s = getState();
  const live: Partial<LiveSettings> = {};
  for (const k of LIVE_KEYS) Object.assign(live, { [k]: s.config[k] });
  const config: SearchConfig = {
    ...(s.current?.config ?? s.config),
    ...(s.latest?.settings ?? {}),
    ...live,
  };
  setState({ crash: null, config, status: 'idle', backend: { state: 'starting' } });
  if (imageLoader) boot(imageLoader);
  log(
    `restarting from the config of step ${s.latest?.step ?? 0} (${formatSettings(config, LIVE_KEYS)})`,
  );
  void start(config, false);
}

function syncUrl() {
  if (typeof history === 'undefined') return;
  const s = getState();
  history.replaceState(
    null,
    '',
    `${location.pathname}?${pageQuery(s.config, s.backendPref)}${location.hash}`,
  );
}

/** Switch the compute backend: a fresh worker (only between runs). */
export function setBackendPref(pref: BackendPref) {
  const s = getState();
  if (s.status === 'running' || s.status === 'paused' || s.status === 'starting') return;
  setState({ backendPref: pref, backend: { state: 'starting' } });
  syncUrl();
  log(`backend preference: ${pref}; restarting the worker`);
  if (imageLoader) boot(imageLoader);
}

/** Test hook (e2e): make the worker throw an uncaught error. */
export function debugCrashWorker() {
  worker?.send({ type: 'debug:crash' });
}

export function setImages(images: TrainingImage[]) {
  setState({ images, imagesError: null });
}
