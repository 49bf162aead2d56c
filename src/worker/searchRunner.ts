import type { LiveSettings, SearchConfig, SearchSnapshot } from '../core/search/types';
import type { WorkerEvent } from './protocol';
import type { NamedImage } from '../core/image/image';
import type { SearchCheckpoint } from '../core/search/search';
import { formatSettings } from '../core/search/params';
import type { SearchSession } from '../core/search/session';

/**
 * Opens the session of a run on the page's images (the worker's searchFactory: the core
 * SearchSession, which owns restore, live settings and checkpoints).
 */
export type SearchFactory = (
  config: SearchConfig,
  images: NamedImage[],
  checkpoint?: SearchCheckpoint,
) => Promise<SearchSession>;

export interface RunnerOptions {
  /** Minimum time between progress events; snapshots in between are dropped (latest wins). */
  minIntervalMs?: number;
  now?: () => number;
  /** Lets queued messages (pause, setLive) run between steps. */
  yieldToEvents?: () => Promise<void>;
  backend?: () => string;
}

type State = 'idle' | 'running' | 'paused' | 'done' | 'failed';

const fmtLive = (p: Partial<LiveSettings>) => formatSettings(p);

/**
 * Drives one search at a time inside the worker: play/pause/step/reset, live settings applied
 * exactly between two steps (and logged with that step number), and progress throttled so the
 * page is not flooded when steps are fast.
 */
export class SearchRunner {
  private state: State = 'idle';
  private runId = '';
  private search: SearchSession | null = null;
  private totalSteps = 0;
  private stepsDone = 0;
  private busy: Promise<void> | null = null;
  /** The run whose loop is active ('' if none): a second loop for the same run is a no-op. */
  private loopingRun = '';
  private held: SearchSnapshot | null = null;
  private skipped = 0;
  private lastPost = -Infinity;
  private readonly minIntervalMs: number;
  private readonly now: () => number;
  private readonly yieldToEvents: () => Promise<void>;
  private readonly backend: () => string;

  constructor(
    private readonly post: (e: WorkerEvent) => void,
    private readonly factory: SearchFactory,
    opts: RunnerOptions = {},
  ) {
    this.minIntervalMs = opts.minIntervalMs ?? 100;
    this.now = opts.now ?? (() => performance.now());
    this.yieldToEvents = opts.yieldToEvents ?? (() => new Promise((r) => setTimeout(r, 0)));
    this.backend = opts.backend ?? (() => 'unknown');
  }

  get status(): State {
    return this.state;
  }

  async start(
    runId: string,
    config: SearchConfig,
    images: NamedImage[],
    paused = false,
    checkpoint?: SearchCheckpoint,
  ) {
    await this.reset(this.runId, false);
    this.runId = runId;
    this.totalSteps = config.epochs * config.stepsPerEpoch;
    this.stepsDone = 0;
    this.held = null;
    this.skipped = 0;
    this.lastPost = -Infinity;
    const t0 = this.now();
    try {
      this.search = await this.factory(config, images, checkpoint);
      this.stepsDone = this.search.stepCount;
    } catch (e) {
      this.state = 'failed';
      this.post({ status: 'error', runId, code: 'BAD_DATA', message: errText(e) });
      return;
    }
    if (this.runId !== runId) return; // reset while building
    this.post({
      status: 'search:started',
      runId,
      totalSteps: this.totalSteps,
      backend: this.backend(),
    });
    this.post({
      status: 'log',
      runId,
      text: `supernet built in ${Math.round(this.now() - t0)} ms on ${this.backend()}: ${this.totalSteps} steps (${config.epochs} epochs × ${config.stepsPerEpoch})`,
    });
    const skipped = this.search.skipped;
    if (skipped.length)
      this.post({
        status: 'log',
        runId,
        text: `skipped ${skipped.join(', ')}: LR smaller than the ${config.patch}-px patch`,
      });
    if (this.search.resumedFrom === null)
      this.post({ status: 'search:initial', runId, snapshot: await this.search.initialSnapshot() });
    if (this.runId !== runId) return; // reset meanwhile
    this.state = paused ? 'paused' : 'running';
    if (checkpoint)
      this.post({
        status: 'log',
        runId,
        text: `resumed from the checkpoint at step ${checkpoint.step}`,
      });
    if (paused) this.post({ status: 'search:paused', runId, step: this.stepsDone });
    else void this.loop();
  }

  pause(runId: string) {
    if (runId !== this.runId || this.state !== 'running') return;
    this.state = 'paused'; // the loop stops after the step in flight and reports it
  }

  resume(runId: string) {
    if (runId !== this.runId || this.state !== 'paused') return;
    this.state = 'running';
    void this.loop();
  }

  async stepOnce(runId: string) {
    if (this.busy) await this.busy; // e.g. a checkpoint being written
    if (runId !== this.runId || this.state !== 'paused' || this.busy) return;
    await this.runStep();
    if (this.state === 'paused') {
      this.flush();
      this.post({ status: 'search:paused', runId, step: this.stepsDone });
      await this.postCheckpoint(runId);
    }
  }

  /** Saves the paused run's state (weights, α/β, optimisers, data position) for a later resume. */
  private async postCheckpoint(runId: string) {
    const search = this.search;
    if (!search || this.busy) return;
    let release!: () => void;
    this.busy = new Promise((r) => (release = r));
    try {
      const checkpoint = await search.checkpoint();
      if (this.runId === runId && this.search === search)
        this.post({ status: 'search:checkpoint', runId, checkpoint });
    } catch (e) {
      this.post({ status: 'log', runId, text: `could not checkpoint: ${errText(e)}` });
    } finally {
      this.busy = null;
      release();
    }
  }

  setLive(runId: string, partial: Partial<LiveSettings>) {
    if (runId !== this.runId || !this.search) return;
    const at = this.search.setLive(partial);
    if (this.state !== 'running')
      this.post({
        status: 'log',
        runId,
        text: `setLive ${fmtLive(partial)} queued (paused): takes effect at step ${at}`,
      });
  }

  /** Stops and frees the search; waits for a step in flight (tfjs tensors cannot be pulled from under it). */
  async reset(runId: string, announce = true) {
    if (runId !== this.runId) return;
    const wasRun = this.search !== null;
    this.state = 'idle';
    this.runId = '';
    if (this.busy) await this.busy;
    const search = this.search;
    this.search = null;
    await search?.dispose();
    if (announce && wasRun) this.post({ status: 'search:reset', runId });
  }

  private async loop() {
    const runId = this.runId;
    if (this.loopingRun === runId) return;
    this.loopingRun = runId;
    const live = () => this.state === 'running' && this.runId === runId;
    try {
      for (;;) {
        while (live()) {
          await this.runStep();
          await this.yieldToEvents();
        }
        if (this.state === 'paused' && this.runId === runId) {
          this.flush();
          this.post({ status: 'search:paused', runId, step: this.stepsDone });
          await this.postCheckpoint(runId);
        }
        // A resume that arrived while checkpointing found this loop still active: go on.
        if (!live()) break;
      }
    } finally {
      if (this.loopingRun === runId) this.loopingRun = '';
    }
  }

  private async runStep(): Promise<void> {
    const search = this.search;
    if (!search) return;
    const runId = this.runId;
    let release!: () => void;
    this.busy = new Promise((r) => (release = r));
    try {
      const { snapshot: snap, applied } = await search.step();
      if (applied)
        this.post({
          status: 'log',
          runId,
          text: `setLive ${fmtLive(applied)} took effect at step ${snap.step}`,
        });
      this.stepsDone = snap.step;
      if (this.runId !== runId) return;
      const last = this.stepsDone >= this.totalSteps;
      this.offer(snap, last || this.state !== 'running');
      if (last) {
        this.state = 'done';
        this.post({
          status: 'search:done',
          runId,
          snapshot: snap,
          seconds: search.elapsedSeconds(),
        });
      }
    } catch (e) {
      this.state = 'failed';
      this.post({ status: 'error', runId, code: 'SEARCH_FAILED', message: errText(e) });
    } finally {
      this.busy = null;
      release();
    }
  }

  private offer(snap: SearchSnapshot, force: boolean) {
    this.held = snap;
    if (force || this.now() - this.lastPost >= this.minIntervalMs) this.flush();
    else this.skipped++;
  }

  private flush() {
    if (!this.held) return;
    this.post({
      status: 'search:progress',
      runId: this.runId,
      snapshot: this.held,
      totalSteps: this.totalSteps,
      skipped: this.skipped,
    });
    this.held = null;
    this.skipped = 0;
    this.lastPost = this.now();
  }
}

function errText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
