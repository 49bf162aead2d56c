import { checkImage } from '../core/image/image';
import { loadModel, serializeModel } from '../core/model/format';
import type { SRNetwork } from '../core/model/network';
import type { ArchConfig } from '../core/model/config';
import type { GenotypeJSON } from '../core/search/genotype';
import { trainDataFromImages } from '../core/train/data';
import { TrainSession } from '../core/train/session';
import type { StudioCommand, StudioEvent } from './studioProtocol';

type Start = Extract<StudioCommand, { type: 'train:start' }>;

/** Run state kept inside checkpoints (so a resumed run keeps its curves). */
interface TrainExtra {
  valPsnr: number[];
  valBicubic: number;
  losses: number[];
  /** Absent in checkpoints written before the shared session kept the time. */
  seconds?: number;
}

interface Run {
  id: string;
  name: string;
  genotype: GenotypeJSON;
  session: TrainSession<TrainExtra>;
  paused: boolean;
  stopped: boolean;
  looping: boolean;
}

/**
 * In-page training of an evaluation network (core Trainer, L1 + Adam + EDE schedule) on the
 * page's images, stepping between yields so pause/stop/export commands get in. A checkpoint
 * (SRBC bytes, the CLI's container) goes to the page after every epoch for IndexedDB.
 */
export class TrainRunner {
  private run: Run | null = null;

  constructor(
    private readonly post: (e: StudioEvent) => void,
    private readonly yieldToEvents: () => Promise<void>,
    private readonly backend: () => string,
    /** Where a finished model goes so it can upscale at once. */
    private readonly onModel: (id: string, net: SRNetwork, json: unknown) => void,
  ) {}

  async start(cmd: Start): Promise<void> {
    await this.stop(this.run?.id ?? '', false);
    const s = cmd.settings;
    const architecture: ArchConfig = {
      arch: 'srbnas',
      scale: s.scale,
      genotype: { normal: cmd.genotype.normal, normal_concat: cmd.genotype.normal_concat },
      cells: s.cells,
      channels: s.channels,
      groups: s.groups,
    };
    const images = cmd.images.map((i) => ({ name: i.name, image: checkImage(i.image, i.name) }));
    const c = s.config;
    // A checkpoint's run was made from these same images and settings (the page keeps them).
    const dataFor = () =>
      trainDataFromImages(images, {
        scale: s.scale,
        patch: c.patch,
        batch: c.batch,
        seed: c.seed,
        valImages: s.valImages,
      });
    const session = cmd.checkpoint
      ? await TrainSession.restore<TrainExtra>(
          new Uint8Array(cmd.checkpoint),
          'checkpoint',
          dataFor,
        )
      : TrainSession.fresh<TrainExtra>(architecture, c, dataFor(), {
          valPsnr: [],
          valBicubic: NaN,
          losses: [],
          seconds: 0,
        });
    const extra = session.history;
    if (!cmd.checkpoint) extra.valBicubic = session.valBicubic?.psnr ?? NaN;
    this.run = {
      id: cmd.trainId,
      name: cmd.name,
      genotype: cmd.genotype,
      session,
      paused: !!cmd.paused,
      stopped: false,
      looping: false,
    };
    this.post({
      status: 'train:started',
      trainId: cmd.trainId,
      totalSteps: session.totalSteps,
      step: session.stepCount,
      valBicubic: extra.valBicubic,
      losses: extra.losses,
      valPsnr: extra.valPsnr,
    });
    if (cmd.paused)
      this.post({ status: 'train:paused', trainId: cmd.trainId, step: session.stepCount });
    else void this.loop(this.run);
  }

  pause(id: string): void {
    if (this.run?.id === id) this.run.paused = true;
  }

  resume(id: string): void {
    const r = this.run;
    if (r?.id !== id || r.stopped) return;
    r.paused = false;
    if (!r.looping) void this.loop(r);
  }

  /** Stop the run (optionally handing its model to the page first) and free its tensors. */
  async stop(id: string, exportModel = true): Promise<void> {
    const r = this.run;
    if (!r || r.id !== id) return;
    r.stopped = true;
    while (r.looping) await this.yieldToEvents();
    if (exportModel) await this.exportModel(id);
    this.post({ status: 'train:done', trainId: id, step: r.session.stepCount, stopped: true });
    await r.session.dispose();
    this.run = null;
  }

  /** model.json + weights.bin of the current weights; the net is also registered to upscale. */
  async exportModel(id: string): Promise<void> {
    const r = this.run;
    if (!r || r.id !== id) throw new Error('no training run to export');
    const t = r.session.trainer;
    const c = t.config;
    const data = r.session.data;
    const extra = r.session.history;
    const { json, weights } = await serializeModel(t.net, {
      name: r.name,
      genotype: r.genotype,
      training: {
        commands: ['in-page training (SRBNAS studio)'],
        data: data.trainNames.join(', '),
        trainImages: data.trainNames.length,
        valImages: data.valNames,
        epochs: c.epochs,
        epochsDone: t.epoch,
        stepsPerEpoch: c.stepsPerEpoch,
        batch: c.batch,
        patch: c.patch,
        lr: c.lr,
        seed: c.seed,
        valPsnr: extra.valPsnr,
        valPsnrBicubic: extra.valBicubic,
        seconds: r.session.elapsedSeconds(),
        backend: this.backend(),
        finishedAt: new Date().toISOString(),
      },
    });
    // Upscaling gets a packed copy (the engine the studio runs; the transfer detaches `weights`).
    const modelId = `trained:${id}:${t.stepCount}`;
    const copy = loadModel({ json, weights }, { engine: 'packed' }).net;
    this.onModel(modelId, copy, json);
    this.post({ status: 'train:model', trainId: id, modelId, json, weights });
  }

  private async loop(r: Run): Promise<void> {
    r.looping = true;
    const session = r.session;
    try {
      let lastPost = 0;
      while (!r.paused && !r.stopped && !session.done) {
        const s = await session.step();
        const now = Date.now();
        if (now - lastPost > 100 || s.epochEnd || session.done) {
          lastPost = now;
          this.post({
            status: 'train:progress',
            trainId: r.id,
            step: s.step,
            epoch: s.epoch,
            loss: s.loss,
          });
        }
        if (s.val)
          this.post({
            status: 'train:val',
            trainId: r.id,
            epoch: session.trainer.epoch,
            psnr: s.val.psnr,
            bicubic: session.history.valBicubic,
          });
        if (s.checkpoint)
          this.post({
            status: 'train:checkpoint',
            trainId: r.id,
            step: s.step,
            bytes: s.checkpoint.buffer as ArrayBuffer,
          });
        await this.yieldToEvents();
      }
      if (session.done && !r.stopped) {
        await this.exportModel(r.id);
        this.post({
          status: 'train:done',
          trainId: r.id,
          step: session.stepCount,
          stopped: false,
        });
      } else if (r.paused && !r.stopped)
        this.post({ status: 'train:paused', trainId: r.id, step: session.stepCount });
    } catch (e) {
      r.paused = true;
      this.post({
        status: 'error',
        trainId: r.id,
        message: e instanceof Error ? e.message : String(e),
      });
    } finally {
      r.looping = false;
    }
  }
}
