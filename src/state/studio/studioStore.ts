import { create } from 'zustand';
import type { Image } from '../../core/image/image';
import type { ModelJSON } from '../../core/model/format';
import type { ModelInfo, StudioEvent } from '../../worker/studioProtocol';

/**
 * State of the upscale studio (a separate store from the playground's): models, upscale jobs,
 * the in-page training run. `applyStudioEvent` is the pure reducer of worker events.
 */

export type JobStatus = 'queued' | 'running' | 'done' | 'error' | 'cancelled';

export interface Job {
  id: string;
  name: string;
  mode: 'upscale' | 'evaluate';
  model: string;
  /** The scale it upscales by (the model's, or the bicubic scale chosen when it was queued). */
  scale: number;
  input: Image;
  notes: string[];
  status: JobStatus;
  done: number;
  total: number;
  message?: string;
  result?: Image;
  bicubic?: Image;
  scores?: { ours: { psnr: number; ssim: number }; bicubic: { psnr: number; ssim: number } };
  seconds?: number;
  /** Lost in a worker crash: the restart queues it again. */
  interrupted?: boolean;
}

export interface TrainState {
  trainId: string;
  status: 'starting' | 'running' | 'paused' | 'done' | 'error';
  step: number;
  totalSteps: number;
  /** [step, L1 loss] */
  loss: [number, number][];
  /** [epoch, PSNR] of ours; bicubic is flat on the same images. */
  val: [number, number][];
  valBicubic: number | null;
  message?: string;
  /** Last model handed over by the worker (download in the CLI's format). */
  model?: { json: ModelJSON; weights: ArrayBuffer };
  modelId?: string;
  checkpointStep?: number;
  /**
   * What the run was doing when the worker crashed: the restart continues a running run from
   * its last checkpoint, and restores a paused one as paused there.
   */
  interrupted?: 'running' | 'paused';
}

export interface StudioState {
  backend: {
    state: 'starting' | 'ready' | 'error';
    name?: string;
    message?: string;
    /** Why "auto" chose this backend (e.g. WASM over a software WebGPU adapter). */
    note?: string;
    /** WASM threads an upscale uses. */
    threads?: number;
  };
  models: ModelInfo[];
  /** Model id, or 'bicubic'. */
  selected: string;
  bicubicScale: 2 | 3 | 4;
  mode: 'upscale' | 'evaluate';
  jobs: Job[];
  /** Messages about files that could not be read (newest first). */
  inputErrors: string[];
  modelError: string | null;
  train: TrainState | null;
  memory: { numTensors: number; numBytes: number } | null;
  /** Why the studio worker stopped (shown with a restart button); null while it runs. */
  crash: string | null;
  /** Problems that lose nothing now but matter later, e.g. a model or checkpoint not saved. */
  warnings: string[];
}

export const initialStudioState: StudioState = {
  backend: { state: 'starting' },
  models: [],
  selected: 'bicubic',
  bicubicScale: 3,
  mode: 'upscale',
  jobs: [],
  inputErrors: [],
  modelError: null,
  train: null,
  memory: null,
  crash: null,
  warnings: [],
};

export const useStudio = create<StudioState>(() => initialStudioState);
export const getStudio = () => useStudio.getState();
export const setStudio = (p: Partial<StudioState> | ((s: StudioState) => Partial<StudioState>)) =>
  useStudio.setState(p);

const patchJob = (s: StudioState, id: string, p: Partial<Job>): Partial<StudioState> => ({
  jobs: s.jobs.map((j) => (j.id === id ? { ...j, ...p } : j)),
});

const patchTrain = (s: StudioState, id: string, p: Partial<TrainState>): Partial<StudioState> =>
  s.train?.trainId === id ? { train: { ...s.train, ...p } } : {};

/** Worker event → state change (pure). */
export function applyStudioEvent(s: StudioState, e: StudioEvent): Partial<StudioState> {
  switch (e.status) {
    case 'ready':
      return {
        backend: {
          state: 'ready',
          name: e.backend,
          ...(e.note ? { note: e.note } : {}),
          ...(e.threads ? { threads: e.threads } : {}),
        },
      };
    case 'model:loaded': {
      // A bundled default that finishes loading late (the worker may still be warming up) must
      // not take the place of a model the user picked or loaded meanwhile.
      const keep =
        e.id.startsWith('bundled:') &&
        s.selected !== 'bicubic' &&
        !s.selected.startsWith('bundled:') &&
        s.models.some((m) => m.id === s.selected);
      return {
        models: [...s.models.filter((m) => m.id !== e.id), e.info],
        selected: keep ? s.selected : e.id,
        modelError: null,
      };
    }
    case 'model:warm':
      return {
        models: s.models.map((m) => (m.id === e.id ? { ...m, warmSeconds: e.seconds } : m)),
      };
    case 'upscale:progress': {
      // Only a job still under way moves: a late event must not revive a cancelled or failed one.
      const j = s.jobs.find((x) => x.id === e.jobId);
      if (j?.status !== 'queued' && j?.status !== 'running') return {};
      return patchJob(s, e.jobId, { status: 'running', done: e.done, total: e.total });
    }
    case 'upscale:done':
      return patchJob(s, e.jobId, {
        status: 'done',
        result: e.result,
        ...(e.bicubic ? { bicubic: e.bicubic } : {}),
        ...(e.hr ? { input: e.hr } : {}),
        ...(e.scores ? { scores: e.scores } : {}),
        seconds: e.seconds,
      });
    case 'upscale:bicubic':
      // The comparison image, sent after the result (upscale mode).
      return patchJob(s, e.jobId, { bicubic: e.bicubic });
    case 'upscale:cancelled':
      return patchJob(s, e.jobId, { status: 'cancelled', message: 'cancelled' });
    case 'train:started':
      return patchTrain(s, e.trainId, {
        status: 'running',
        totalSteps: e.totalSteps,
        step: e.step,
        valBicubic: e.valBicubic,
        loss: e.losses.map((l, i) => [i + 1, l]),
        val: e.valPsnr.map((v, i) => [i + 1, v]),
      });
    case 'train:progress':
      return patchTrain(s, e.trainId, {
        // The worker posts `paused` after its last step, so a progress event means running.
        status: 'running',
        step: e.step,
        loss: [...(s.train?.loss ?? []), [e.step, e.loss]],
      });
    case 'train:val':
      return patchTrain(s, e.trainId, {
        val: [...(s.train?.val ?? []), [e.epoch, e.psnr]],
        valBicubic: e.bicubic,
      });
    case 'train:paused':
      return patchTrain(s, e.trainId, { status: 'paused', step: e.step });
    case 'train:checkpoint':
      return patchTrain(s, e.trainId, { checkpointStep: e.step });
    case 'train:model':
      return patchTrain(s, e.trainId, { model: { json: e.json, weights: e.weights } });
    case 'train:done':
      return patchTrain(s, e.trainId, { status: 'done', step: e.step });
    case 'memory':
      return { memory: { numTensors: e.numTensors, numBytes: e.numBytes } };
    case 'error':
      if (e.code === 'WORKER_CRASHED' || e.code === 'WORKER_FAILED') return crashed(s, e.message);
      if (e.jobId) return patchJob(s, e.jobId, { status: 'error', message: e.message });
      if (e.trainId) return patchTrain(s, e.trainId, { status: 'error', message: e.message });
      if (s.backend.state === 'starting')
        return { backend: { state: 'error', message: e.message } };
      return { modelError: e.message };
  }
}

/** Keep at most this many warnings (newest first). */
const MAX_WARNINGS = 20;

export function addStudioWarning(s: StudioState, text: string): Partial<StudioState> {
  return { warnings: [text, ...s.warnings].slice(0, MAX_WARNINGS) };
}

/**
 * The worker is gone: say why, and mark what it was doing (queued or running upscales, a live
 * training run) as interrupted so the restart can take it up again.
 */
function crashed(s: StudioState, message: string): Partial<StudioState> {
  const lost = (j: Job) => j.status === 'queued' || j.status === 'running';
  const t = s.train;
  // A paused run is live in the worker once it has stepped; one restored from IndexedDB is not.
  const live =
    t &&
    (t.status === 'starting' ||
      t.status === 'running' ||
      (t.status === 'paused' && t.loss.length > 0));
  return {
    crash: message,
    backend: { state: 'error', message: `the studio worker stopped: ${message}` },
    jobs: s.jobs.map((j) =>
      lost(j)
        ? {
            ...j,
            status: 'error',
            interrupted: true,
            message: 'interrupted: the studio worker stopped',
          }
        : j,
    ),
    ...(t && live
      ? {
          train: {
            ...t,
            status: 'error',
            interrupted: t.status === 'paused' ? 'paused' : 'running',
            message: `interrupted at step ${t.step}: the studio worker stopped`,
          },
        }
      : {}),
  };
}
