import type { BackendAttempt } from '../core/backend';
import { imageBuffers, type Image, type NamedImage } from '../core/image/image';
import type { ArchConfig } from '../core/model/config';
import type { Counts } from '../core/model/count';
import type { ModelJSON } from '../core/model/format';
import type { GenotypeJSON } from '../core/search/genotype';
import type { TrainConfig } from '../core/train/trainer';

/**
 * Page ↔ studio worker protocol (upscaling and in-page training). The studio runs in its own
 * worker, beside the search worker: a long upscale or training run then never queues behind
 * (or in front of) search commands, and each keeps its own tfjs backend state.
 */

/** The model the page shows in its info panel (model.json without the weights manifest). */
export interface ModelInfo {
  id: string;
  name: string;
  architecture: ArchConfig;
  counts: Counts;
  genotype?: GenotypeJSON;
  training?: ModelJSON['training'];
  /** The engine upscales use ('packed': 1-bit kernels), and whether the file itself was packed. */
  engine?: 'float' | 'packed';
  packedFile?: boolean;
  /** Seconds of the warm-up tile run after loading (WASM), once it has run. */
  warmSeconds?: number;
  /** Benchmark numbers kept in the model's metadata, when someone measured them. */
  benchmarks?: Record<string, { psnr: number; ssim: number }>;
}

/** Settings of an in-page training run: the architecture around the genotype plus TrainConfig. */
export interface StudioTrainSettings {
  scale: 2 | 3 | 4;
  cells: number;
  channels: number;
  groups: number;
  valImages: number;
  config: TrainConfig;
}

export type StudioCommand =
  | { type: 'init'; backends?: string[] }
  | { type: 'model:load'; id: string; json: unknown; weights: ArrayBuffer }
  | { type: 'model:unload'; id: string }
  | {
      type: 'upscale';
      jobId: string;
      /** A loaded model id, or 'bicubic'. */
      model: string;
      /** Needed for 'bicubic'; a model's own scale wins. */
      scale: number;
      image: Image;
      /** 'evaluate': `image` is HR; it is shrunk with MATLAB bicubic first and scored. */
      mode: 'upscale' | 'evaluate';
      tile?: number;
    }
  | { type: 'upscale:cancel'; jobId: string }
  | {
      type: 'train:start';
      trainId: string;
      name: string;
      genotype: GenotypeJSON;
      settings: StudioTrainSettings;
      images: NamedImage[];
      /** Continue from a checkpoint (packed SRBC bytes saved by the page). */
      checkpoint?: ArrayBuffer;
      paused?: boolean;
    }
  | { type: 'train:pause'; trainId: string }
  | { type: 'train:resume'; trainId: string }
  | { type: 'train:stop'; trainId: string }
  /** Ask for the current weights as a model (model.json + weights.bin, the CLI's format). */
  | { type: 'train:export'; trainId: string }
  | { type: 'memory' }
  /** Test hook: throw an uncaught error in the worker (exercises the page's crash handling). */
  | { type: 'debug:crash' };

export type StudioEvent =
  | {
      status: 'ready';
      backend: string;
      skipped: BackendAttempt[];
      /** Why "auto" picked this backend, when it was not simply the first that started. */
      note?: string;
      /** WASM threads an upscale uses (this worker plus its tile helpers). */
      threads?: number;
    }
  | { status: 'model:loaded'; id: string; info: ModelInfo }
  /** The model ran one blank tile after loading (WASM), so the first photo starts warm. */
  | { status: 'model:warm'; id: string; seconds: number }
  | { status: 'upscale:progress'; jobId: string; done: number; total: number }
  | {
      status: 'upscale:done';
      jobId: string;
      result: Image;
      /**
       * The bicubic enlargement to compare with. Upscale mode with a model sends it afterwards
       * in 'upscale:bicubic', so the result does not wait for it.
       */
      bicubic?: Image;
      /** Evaluate mode: the HR image, and scores (PSNR dB / SSIM on Y) of ours and bicubic. */
      hr?: Image;
      scores?: { ours: { psnr: number; ssim: number }; bicubic: { psnr: number; ssim: number } };
      seconds: number;
    }
  | { status: 'upscale:bicubic'; jobId: string; bicubic: Image }
  | { status: 'upscale:cancelled'; jobId: string }
  | {
      status: 'train:started';
      trainId: string;
      totalSteps: number;
      step: number;
      valBicubic: number;
      /** Curves so far (a run continued from a checkpoint): loss per step, val PSNR per epoch. */
      losses: number[];
      valPsnr: number[];
    }
  | { status: 'train:progress'; trainId: string; step: number; epoch: number; loss: number }
  | { status: 'train:val'; trainId: string; epoch: number; psnr: number; bicubic: number }
  | { status: 'train:checkpoint'; trainId: string; step: number; bytes: ArrayBuffer }
  | { status: 'train:paused'; trainId: string; step: number }
  /** `modelId`: the id the worker registered the trained net under (it upscales at once). */
  | {
      status: 'train:model';
      trainId: string;
      modelId: string;
      json: ModelJSON;
      weights: ArrayBuffer;
    }
  | { status: 'train:done'; trainId: string; step: number; stopped: boolean }
  | { status: 'memory'; numTensors: number; numBytes: number }
  | {
      status: 'error';
      jobId?: string;
      trainId?: string;
      /** Set by the page's client when the worker itself is gone (crashed, or never started). */
      code?: 'WORKER_FAILED' | 'WORKER_CRASHED';
      message: string;
    };

/** Buffers handed over with a command or event (zero-copy). */
export function studioTransferables(m: StudioCommand | StudioEvent): Transferable[] {
  if ('type' in m) {
    if (m.type === 'model:load') return [m.weights];
    if (m.type === 'upscale') return imageBuffers([m.image]);
    if (m.type === 'train:start')
      return [
        ...imageBuffers(m.images.map((i) => i.image)),
        ...(m.checkpoint ? [m.checkpoint] : []),
      ];
    return [];
  }
  switch (m.status) {
    case 'upscale:done':
      return imageBuffers([m.result, m.bicubic, m.hr]);
    case 'upscale:bicubic':
      return imageBuffers([m.bicubic]);
    case 'train:checkpoint':
      return [m.bytes];
    case 'train:model':
      return [m.weights];
    default:
      return [];
  }
}
