import { searchDataFor, type SearchData } from '../data/patches';
import type { Image } from '../image/image';
import { Search, type SearchCheckpoint } from './search';
import type { LiveSettings, SearchConfig, SearchSnapshot } from './types';

/**
 * One search run, as `srbnas search` and the page's worker both drive it: built on the images
 * (fresh, or restored from a checkpoint whose settings win), stepped by the caller, live
 * settings applied exactly between two steps, checkpoints (with the seconds spent so far) at
 * epoch ends when asked and whenever the caller wants one. The callers keep only their I/O:
 * files and a progress bar, or events to the page.
 */

/** What a session steps: the core Search, or the CLI's data-parallel ParallelSearch. */
export interface SearchEngine {
  readonly config: SearchConfig;
  readonly stepCount: number;
  readonly totalSteps: number;
  readonly done: boolean;
  step(): Promise<SearchSnapshot>;
  setLive(partial: Partial<LiveSettings>): void;
  initialSnapshot(): Promise<SearchSnapshot>;
  checkpoint(): Promise<SearchCheckpoint>;
  dispose(): void | Promise<void>;
}

export type SearchEngineFactory = (
  config: SearchConfig,
  data: SearchData,
  checkpoint?: SearchCheckpoint,
) => Promise<SearchEngine>;

/** One thread, the current tfjs backend. */
export const singleThreadSearch: SearchEngineFactory = async (config, data, checkpoint) =>
  checkpoint ? Search.restore(checkpoint, data) : new Search(config, data);

/** A search checkpoint as sessions write it: plus the seconds the run has taken so far. */
export type SessionCheckpoint = SearchCheckpoint & { seconds?: number };

export interface SearchSessionOptions {
  /** Continue this run (its config and live settings win over `config`). */
  checkpoint?: SessionCheckpoint;
  engine?: SearchEngineFactory;
  /** Also checkpoint at every epoch end (the CLI's --checkpoint). */
  checkpointEachEpoch?: boolean;
  /** Clock in ms (tests). */
  now?: () => number;
  /** When this session's clock started, on `now`'s scale (default: when it opened). */
  startedAt?: number;
}

export interface SearchSessionStep {
  snapshot: SearchSnapshot;
  /** Live settings that took effect at this step (set since the previous one). */
  applied?: Partial<LiveSettings>;
  /** At an epoch end, with `checkpointEachEpoch`. */
  checkpoint?: SessionCheckpoint;
}

export class SearchSession {
  private pendingLive: Partial<LiveSettings> | null = null;
  private readonly started: number;
  private readonly secondsBefore: number;
  private readonly now: () => number;

  private constructor(
    readonly engine: SearchEngine,
    /** Images too small for the patch (left out). */
    readonly skipped: string[],
    /** The step the run was restored at; null for a fresh run. */
    readonly resumedFrom: number | null,
    private readonly opts: SearchSessionOptions,
  ) {
    this.now = opts.now ?? (() => Date.now());
    this.started = opts.startedAt ?? this.now();
    this.secondsBefore = opts.checkpoint?.seconds ?? 0;
  }

  static async open(
    images: { name: string; image: Image }[],
    config: SearchConfig,
    opts: SearchSessionOptions = {},
  ): Promise<SearchSession> {
    const cp = opts.checkpoint;
    const c = cp?.config ?? config;
    const data = searchDataFor(images, c);
    const engine = await (opts.engine ?? singleThreadSearch)(c, data, cp);
    return new SearchSession(engine, data.skipped, cp ? cp.step : null, opts);
  }

  get config(): SearchConfig {
    return this.engine.config;
  }
  get stepCount(): number {
    return this.engine.stepCount;
  }
  get totalSteps(): number {
    return this.engine.totalSteps;
  }
  get done(): boolean {
    return this.engine.done;
  }
  /** Seconds of searching, earlier sessions of the run included. */
  elapsedSeconds(): number {
    return this.secondsBefore + (this.now() - this.started) / 1000;
  }

  /** The step-0 snapshot (the initialisation) of a fresh run. */
  initialSnapshot(): Promise<SearchSnapshot> {
    return this.engine.initialSnapshot();
  }

  /** Queue live settings; they take effect at the next step (returned). */
  setLive(partial: Partial<LiveSettings>): number {
    this.pendingLive = { ...this.pendingLive, ...partial };
    return this.stepCount + 1;
  }

  async step(): Promise<SearchSessionStep> {
    const applied = this.pendingLive;
    this.pendingLive = null;
    if (applied) this.engine.setLive(applied);
    const snapshot = await this.engine.step();
    const c = this.engine.config;
    const epochEnd = snapshot.step % c.stepsPerEpoch === 0;
    return {
      snapshot,
      ...(applied ? { applied } : {}),
      ...(this.opts.checkpointEachEpoch && epochEnd ? { checkpoint: await this.checkpoint() } : {}),
    };
  }

  /** Everything needed to continue exactly here (plain JSON). */
  async checkpoint(): Promise<SessionCheckpoint> {
    return { ...(await this.engine.checkpoint()), seconds: this.elapsedSeconds() };
  }

  async dispose(): Promise<void> {
    await this.engine.dispose();
  }
}
