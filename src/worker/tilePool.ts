import { copyImage, createImage, type Image } from '../core/image/image';
import {
  checkOutputSize,
  finishAlpha,
  lrCropOf,
  tileGrid,
  upscaleTiles,
  writeTile,
  type SrTile,
} from '../core/model/infer';
import type { SRNetwork } from '../core/model/network';

/** Studio worker → tile helper (inferHelper.ts). */
export type HelperCommand =
  | { type: 'init'; backend: string }
  | { type: 'load'; id: string; json: unknown; weights: ArrayBuffer; warm?: number }
  | { type: 'unload'; id: string }
  | {
      type: 'run';
      jobId: string;
      model: string;
      image: Image;
      tile: number | { width: number; height: number };
      indices: number[];
    }
  | { type: 'cancel'; jobId: string };

export type HelperEvent =
  | { type: 'ready'; backend: string }
  | { type: 'tile'; jobId: string; tile: SrTile }
  | { type: 'done'; jobId: string; cancelled?: boolean }
  | { type: 'error'; jobId?: string; message: string };

/** The share of tiles one of `k` runners computes: every k-th, so both halves of the image mix. */
export function shareOf(total: number, k: number, which: number): number[] {
  const out: number[] = [];
  for (let i = which; i < total; i += k) out.push(i);
  return out;
}

/** What the studio's UpscaleRunner needs of its helpers (TilePool; tests use an in-process one). */
export interface TileHelpers {
  readonly size: number;
  /** `warm`: run one blank tile of that side after loading (see warmUp). */
  load(id: string, json: unknown, weights: ArrayBuffer, warm?: number): void;
  unload(id: string): void;
  run(
    jobId: string,
    model: string,
    image: Image,
    tile: number | { width: number; height: number },
    shares: number[][],
    onTile: (t: SrTile) => void,
  ): Promise<void>;
  cancel(jobId: string): void;
}

/**
 * Extra WASM threads for tiled inference: `size` helper workers, each with its own tfjs and a
 * copy of every loaded model. The studio worker computes its own share meanwhile.
 */
export class TilePool implements TileHelpers {
  private readonly helpers: Worker[] = [];
  private readonly jobs = new Map<
    string,
    {
      onTile: (t: SrTile) => void;
      pending: number;
      resolve: () => void;
      reject: (e: Error) => void;
    }
  >();
  readonly ready: Promise<void>;

  constructor(size: number, backend: string, spawn: () => Worker) {
    const starts: Promise<void>[] = [];
    for (let i = 0; i < size; i++) {
      const w = spawn();
      starts.push(
        new Promise<void>((resolve, reject) => {
          w.onmessage = (ev: MessageEvent<HelperEvent>) => {
            if (ev.data.type === 'ready') resolve();
            else this.onEvent(ev.data);
          };
          w.onerror = (ev) => reject(new Error(ev.message || 'tile helper failed to start'));
        }),
      );
      w.postMessage({ type: 'init', backend } satisfies HelperCommand);
      this.helpers.push(w);
    }
    this.ready = Promise.all(starts).then(() => {
      for (const w of this.helpers)
        w.onmessage = (ev: MessageEvent<HelperEvent>) => this.onEvent(ev.data);
    });
  }

  get size(): number {
    return this.helpers.length;
  }

  load(id: string, json: unknown, weights: ArrayBuffer, warm?: number): void {
    for (const w of this.helpers)
      w.postMessage({
        type: 'load',
        id,
        json,
        weights: weights.slice(0),
        ...(warm ? { warm } : {}),
      } satisfies HelperCommand);
  }

  unload(id: string): void {
    for (const w of this.helpers) w.postMessage({ type: 'unload', id } satisfies HelperCommand);
  }

  /** Run helper h's share (`shares[h]`) of a job; tiles arrive through onTile as they finish. */
  run(
    jobId: string,
    model: string,
    image: Image,
    tile: number | { width: number; height: number },
    shares: number[][],
    onTile: (t: SrTile) => void,
  ): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const busy = this.helpers.filter((_, h) => shares[h]?.length);
      if (busy.length === 0) return resolve();
      this.jobs.set(jobId, { onTile, pending: busy.length, resolve, reject });
      this.helpers.forEach((w, h) => {
        if (!shares[h]?.length) return;
        const copy = copyImage(image);
        w.postMessage(
          {
            type: 'run',
            jobId,
            model,
            image: copy,
            tile,
            indices: shares[h],
          } satisfies HelperCommand,
          [copy.data.buffer],
        );
      });
    });
  }

  cancel(jobId: string): void {
    for (const w of this.helpers) w.postMessage({ type: 'cancel', jobId } satisfies HelperCommand);
  }

  private onEvent(e: HelperEvent): void {
    if (e.type === 'ready' || e.jobId === undefined) return;
    const job = this.jobs.get(e.jobId);
    if (!job) return;
    if (e.type === 'tile') job.onTile(e.tile);
    else if (e.type === 'error') {
      this.jobs.delete(e.jobId);
      job.reject(new Error(e.message));
    } else if (e.type === 'done' && --job.pending === 0) {
      this.jobs.delete(e.jobId);
      job.resolve();
    }
  }

  dispose(): void {
    for (const w of this.helpers) w.terminate();
    this.helpers.length = 0;
  }
}

/**
 * upscaleImage split between this thread and `helpers` (every k-th tile each; an image with
 * fewer tiles than threads is cut into full-width bands). Same tiles, so the same image bit for
 * bit. `onTile` (progress) may throw to cancel this thread's share; `isCancelled` keeps late
 * helper tiles from reporting progress after that.
 */
export async function upscaleImageShared(
  net: SRNetwork,
  input: Image,
  tile: number,
  onTile: (done: number, total: number) => void,
  o: {
    helpers: TileHelpers;
    modelId: string;
    jobId: string;
    isCancelled?: () => boolean;
    yieldEachTile?: () => Promise<void>;
  },
): Promise<Image> {
  const r = net.config.scale;
  checkOutputSize(input.width, input.height, r);
  const k = o.helpers.size + 1;
  let t: number | { width: number; height: number } = tile;
  let g = tileGrid(input.width, input.height, t);
  if (g.nx * g.ny < k) {
    t = { width: input.width, height: Math.ceil(input.height / k) };
    g = tileGrid(input.width, input.height, t);
  }
  const total = g.nx * g.ny;
  const shares = Array.from({ length: k }, (_, i) => shareOf(total, k, i));
  const mine = new Set(shares[0]);
  const out = createImage(input.width * r, input.height * r, input.channels);
  let done = 0;
  const progress = () => onTile(++done, total);
  // Each helper gets its own copy (TilePool.run); the input stays this thread's.
  // Once the job has ended here (cancelled, failed or finished), tiles still in flight from the
  // helpers are dropped: the runner forgets a cancel as soon as its job returns, so a late tile
  // would otherwise report progress for a job already reported cancelled (and revive it).
  let ended = false;
  const helpers = o.helpers.run(o.jobId, o.modelId, input, t, shares.slice(1), (st) => {
    if (ended) return;
    writeTile(out, st);
    if (!o.isCancelled?.()) progress();
  });
  try {
    await upscaleTiles(
      net,
      input.width,
      input.height,
      lrCropOf(input),
      (st) => writeTile(out, st),
      {
        tile: t,
        only: (i) => mine.has(i),
        onTile: progress,
        ...(o.yieldEachTile ? { yieldEachTile: o.yieldEachTile } : {}),
      },
    );
    await helpers;
  } catch (e) {
    helpers.catch(() => {}); // cancelled or failed here: the helpers' outcome no longer matters
    throw e;
  } finally {
    ended = true;
  }
  finishAlpha(input, out, r);
  return out;
}
