import { loadModel, serializeModel } from '../core/model/format';
import type { SRNetwork } from '../core/model/network';
import type { ArchConfig } from '../core/model/config';
import type { GenotypeJSON } from '../core/search/genotype';
import { trainDataFromImages, type TrainData } from '../core/train/data';
import { pack, unpack } from '../core/train/pack';
import { Trainer } from '../core/train/trainer';
import { validate, validateBicubic } from '../core/train/validate';
import type { StudioCommand, StudioEvent } from './studioProtocol';
import { toImage } from './upscaleRunner';

type Start = Extract<StudioCommand, { type: 'train:start' }>;

/** Run state kept inside checkpoints (so a resumed run keeps its curves). */
interface TrainExtra {
  valPsnr: number[];
  valBicubic: number;
  losses: number[];
}

interface Run {
  id: string;
  name: string;
  genotype: GenotypeJSON;
  trainer: Trainer;
  data: TrainData;
  extra: TrainExtra;
  paused: boolean;
  stopped: boolean;
  looping: boolean;
  started: number;
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
    const images = cmd.images.map((i) => ({ name: i.name, image: toImage(i.image) }));
    const c = s.config;
    const data = trainDataFromImages(images, {
      scale: s.scale,
      patch: c.patch,
      batch: c.batch,
      seed: c.seed,
      valImages: s.valImages,
    });
    let trainer: Trainer;
    let extra: TrainExtra;
    if (cmd.checkpoint) {
      const { header, data: buf } = unpack(new Uint8Array(cmd.checkpoint), 'checkpoint');
      trainer = Trainer.restore(header, buf, data.sampler);
      extra = (header as { extra: TrainExtra }).extra;
    } else {
      trainer = new Trainer(architecture, c, data.sampler);
      extra = { valPsnr: [], valBicubic: validateBicubic(data.val, s.scale).psnr, losses: [] };
    }
    this.run = {
      id: cmd.trainId,
      name: cmd.name,
      genotype: cmd.genotype,
      trainer,
      data,
      extra,
      paused: !!cmd.paused,
      stopped: false,
      looping: false,
      started: Date.now(),
    };
    this.post({
      status: 'train:started',
      trainId: cmd.trainId,
      totalSteps: trainer.totalSteps,
      step: trainer.stepCount,
      valBicubic: extra.valBicubic,
      losses: extra.losses,
      valPsnr: extra.valPsnr,
    });
    if (cmd.paused)
      this.post({ status: 'train:paused', trainId: cmd.trainId, step: trainer.stepCount });
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
    this.post({ status: 'train:done', trainId: id, step: r.trainer.stepCount, stopped: true });
    r.trainer.dispose();
    this.run = null;
  }

  /** model.json + weights.bin of the current weights; the net is also registered to upscale. */
  async exportModel(id: string): Promise<void> {
    const r = this.run;
    if (!r || r.id !== id) throw new Error('no training run to export');
    const t = r.trainer;
    const c = t.config;
    const { json, weights } = await serializeModel(t.net, {
      name: r.name,
      genotype: r.genotype,
      training: {
        commands: ['in-page training (SRBNAS studio)'],
        data: r.data.trainNames.join(', '),
        trainImages: r.data.trainNames.length,
        valImages: r.data.valNames,
        epochs: c.epochs,
        epochsDone: t.epoch,
        stepsPerEpoch: c.stepsPerEpoch,
        batch: c.batch,
        patch: c.patch,
        lr: c.lr,
        seed: c.seed,
        valPsnr: r.extra.valPsnr,
        valPsnrBicubic: r.extra.valBicubic,
        seconds: (Date.now() - r.started) / 1000,
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
    try {
      let lastPost = 0;
      while (!r.paused && !r.stopped && !r.trainer.done) {
        const s = await r.trainer.step();
        r.extra.losses.push(s.loss);
        const now = Date.now();
        if (now - lastPost > 100 || s.epochEnd || r.trainer.done) {
          lastPost = now;
          this.post({
            status: 'train:progress',
            trainId: r.id,
            step: s.step,
            epoch: s.epoch,
            loss: s.loss,
          });
        }
        if (s.epochEnd) await this.endEpoch(r);
        await this.yieldToEvents();
      }
      if (r.trainer.done && !r.stopped) {
        await this.exportModel(r.id);
        this.post({
          status: 'train:done',
          trainId: r.id,
          step: r.trainer.stepCount,
          stopped: false,
        });
      } else if (r.paused && !r.stopped)
        this.post({ status: 'train:paused', trainId: r.id, step: r.trainer.stepCount });
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

  private async endEpoch(r: Run): Promise<void> {
    const epoch = r.trainer.epoch;
    if (r.data.val.length) {
      const v = await validate(r.trainer.net, r.data.val);
      r.extra.valPsnr.push(v.psnr);
      this.post({
        status: 'train:val',
        trainId: r.id,
        epoch,
        psnr: v.psnr,
        bicubic: r.extra.valBicubic,
      });
    }
    const { header, data } = await r.trainer.checkpoint({ ...r.extra });
    const bytes = pack(header, data);
    this.post({
      status: 'train:checkpoint',
      trainId: r.id,
      step: r.trainer.stepCount,
      bytes: bytes.buffer as ArrayBuffer,
    });
  }
}
