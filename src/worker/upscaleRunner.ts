import { downscaleBicubic, upscaleBicubic } from '../core/image/bicubic';
import { checkImage, modcrop, type Image } from '../core/image/image';
import { srScore } from '../core/metrics/evaluate';
import { loadModel } from '../core/model/format';
import { upscaleImage, warmUp } from '../core/model/infer';
import { upscaleImageShared, type TileHelpers } from './tilePool';
import type { SRNetwork } from '../core/model/network';
import type { ModelInfo, StudioCommand, StudioEvent } from './studioProtocol';
import { outputLimitMessage } from './outputLimit';

export { outputLimitMessage, STUDIO_MAX_OUTPUT_PIXELS } from './outputLimit';

/**
 * Tile side (LR pixels) for in-page inference: bounded memory (≈ 260 MB of tensors at C = 32) and
 * little overlap to recompute (a 21-pixel context costs 1.36× at 256, 1.76× at 128).
 */
export const STUDIO_TILE = 256;

class Cancelled extends Error {}

export function modelInfo(id: string, json: ReturnType<typeof loadModel>['json']): ModelInfo {
  const extra = json as unknown as { benchmarks?: ModelInfo['benchmarks'] };
  return {
    id,
    name: json.name,
    architecture: json.architecture,
    counts: json.counts,
    engine: 'packed',
    packedFile: json.encoding === 'packed-1bit',
    ...(json.genotype ? { genotype: json.genotype } : {}),
    ...(json.training ? { training: json.training } : {}),
    ...(extra.benchmarks ? { benchmarks: extra.benchmarks } : {}),
  };
}

/**
 * Loaded models and upscale jobs of the studio worker. One job runs at a time (the worker's
 * command queue); `cancel` is handled out of the queue and takes effect at the next tile.
 */
export class UpscaleRunner {
  private readonly models = new Map<string, SRNetwork>();
  private readonly cancelled = new Set<string>();
  /** Models the tile helpers also hold (loaded files; not networks trained in the page). */
  private readonly pooled = new Set<string>();
  /** Extra WASM threads for tiles (set by the studio worker when it runs on WASM). */
  pool: TileHelpers | null = null;
  /**
   * Tile side to warm a model up with once it is loaded (here and on the helpers), or null: the
   * studio worker sets it on WASM, where a cold first tile costs about 3× a warm one.
   */
  warmTile: number | null = null;

  constructor(
    private readonly post: (e: StudioEvent) => void,
    private readonly now: () => number = () => performance.now(),
    /** Let queued messages (cancel, helpers' tiles) in between tiles; see UpscaleOptions. */
    private readonly yieldToEvents?: () => Promise<void>,
  ) {}

  /** Register a network built elsewhere (a model just trained in the page). */
  addNetwork(id: string, net: SRNetwork): void {
    this.models.get(id)?.dispose();
    this.models.set(id, net);
  }

  load(id: string, json: unknown, weights: ArrayBuffer): void {
    // The packed engine (1-bit weights, XNOR-popcount kernel); a float file is packed in memory.
    const m = loadModel({ json, weights }, { engine: 'packed' });
    this.addNetwork(id, m.net);
    if (this.pool) {
      this.pool.load(id, json, weights, this.warmed ? undefined : (this.warmTile ?? undefined));
      this.pooled.add(id);
    }
    this.post({ status: 'model:loaded', id, info: modelInfo(id, m.json) });
  }

  private warmed = false;

  /**
   * Warm the engine up with a loaded model (warmTile): one blank tile through it, so the first
   * photo does not wait for the engine to start; reports the seconds. Once per worker: optimised
   * code and a grown heap serve every model after it. Runs in the worker's command queue, after
   * the load and before any upscale sent later.
   */
  async warm(id: string): Promise<void> {
    const net = this.models.get(id);
    if (!net || !this.warmTile || this.warmed) return;
    this.warmed = true;
    this.post({ status: 'model:warm', id, seconds: await warmUp(net, this.warmTile) });
  }

  unload(id: string): void {
    this.models.get(id)?.dispose();
    this.models.delete(id);
    if (this.pooled.delete(id)) this.pool?.unload(id);
  }

  cancel(jobId: string): void {
    this.cancelled.add(jobId);
    this.pool?.cancel(jobId);
  }

  async run(cmd: Extract<StudioCommand, { type: 'upscale' }>): Promise<void> {
    const { jobId } = cmd;
    const t0 = this.now();
    try {
      const net = cmd.model === 'bicubic' ? null : this.models.get(cmd.model);
      if (cmd.model !== 'bicubic' && !net)
        throw new Error(`model ${cmd.model} is not loaded (load it again)`);
      const r = net ? net.config.scale : cmd.scale;
      if (![2, 3, 4].includes(r)) throw new Error(`scale must be 2, 3 or 4, got ${r}`);
      let input = checkImage(cmd.image, 'input image');
      let hr: Image | undefined;
      if (cmd.mode === 'evaluate') {
        if (input.width < 4 * r || input.height < 4 * r)
          throw new Error(`${input.width}×${input.height} is too small to evaluate at x${r}`);
        hr = modcrop(input, r);
        input = downscaleBicubic(hr, r);
      }
      const limit = outputLimitMessage(input.width, input.height, r);
      if (limit) throw new Error(limit);
      // The bicubic enlargement is needed before the result only to score it (evaluate mode) or
      // when bicubic is the model; otherwise it follows the result in its own event, so the
      // upscaled image does not wait for it (≈ 1 s in JS for a 1024² photo at x4).
      const bicubicFirst = !net || hr !== undefined;
      const bicubic = bicubicFirst ? upscaleBicubic(input, r) : undefined;
      let result: Image;
      if (net) {
        const onTile = (done: number, total: number) => {
          if (this.cancelled.has(jobId)) throw new Cancelled();
          this.post({ status: 'upscale:progress', jobId, done, total });
        };
        const tile = cmd.tile ?? STUDIO_TILE;
        result =
          this.pool?.size && this.pooled.has(cmd.model)
            ? await upscaleImageShared(net, input, tile, onTile, {
                helpers: this.pool,
                modelId: cmd.model,
                jobId,
                isCancelled: () => this.cancelled.has(jobId),
                ...(this.yieldToEvents ? { yieldEachTile: this.yieldToEvents } : {}),
              })
            : await upscaleImage(net, input, {
                tile,
                onTile,
                ...(this.yieldToEvents ? { yieldEachTile: this.yieldToEvents } : {}),
              });
      } else {
        result = bicubic!;
        this.post({ status: 'upscale:progress', jobId, done: 1, total: 1 });
      }
      if (this.cancelled.has(jobId)) throw new Cancelled();
      const scores = hr
        ? { ours: srScore(hr, result, r), bicubic: srScore(hr, bicubic!, r) }
        : undefined;
      this.post({
        status: 'upscale:done',
        jobId,
        result,
        ...(bicubic ? { bicubic } : {}),
        ...(hr ? { hr, scores } : {}),
        seconds: (this.now() - t0) / 1000,
      });
      if (!bicubic)
        this.post({ status: 'upscale:bicubic', jobId, bicubic: upscaleBicubic(input, r) });
    } catch (e) {
      if (e instanceof Cancelled) this.post({ status: 'upscale:cancelled', jobId });
      else
        this.post({ status: 'error', jobId, message: e instanceof Error ? e.message : String(e) });
    } finally {
      this.cancelled.delete(jobId);
    }
  }

  dispose(): void {
    for (const n of this.models.values()) n.dispose();
    this.models.clear();
  }
}
