import * as tf from '@tensorflow/tfjs';
import { batchTensors, l1Loss } from '../data/batchTensors';
import { edeSchedule } from '../nn/ede';
import type { PatchBatch } from '../data/patches';
import type { ArchGradSplit, LiveSettings, SearchConfig, SearchSnapshot } from './types';
import { Supernet } from './supernet';
import { edgeGates, edgeGatesJS } from './edgeGates';
import { archLoss, lin, regAlpha, regBeta } from './regularisers';
import { deriveGenotype, entropyRows, softmaxRows } from './derive';
import { derivedParamCount } from './genotype';
import { liveSettingsOf } from './params';

/** Where batches come from (PatchSampler, or anything with the same shape). */
export interface BatchSource {
  next(): PatchBatch;
  /** Batches drawn so far and a way to replay them (for checkpoints); optional. */
  readonly drawn?: number;
  skip?(n: number): void;
}
export interface SearchData {
  /** w-train half. */
  train: BatchSource;
  /** α-val half. */
  val: BatchSource;
}

type NamedValues = Record<string, { shape: number[]; data: number[] }>;

/** Everything needed to continue a search exactly where it stopped (plain JSON). */
export interface SearchCheckpoint {
  format: 'srbnas-search-checkpoint';
  version: 1;
  config: SearchConfig;
  live: LiveSettings;
  step: number;
  lastValLoss: number | null;
  weights: NamedValues;
  arch: NamedValues;
  wOpt: NamedValues;
  archOpt: NamedValues;
  drawn: { train: number; val: number };
}

const PYTORCH_ADAM_EPS = 1e-8;

/**
 * tfjs Adam's setWeights() sets β₁ᵗ and β₂ᵗ with pow(), while a running optimizer multiplies
 * them by β once per step in float32: the two differ in the last bit for some t, and a resumed
 * search then drifts from the uninterrupted one. Put back the running products (float32
 * products are exact in double and correctly rounded by Math.fround, as the backends do).
 */
function runningAdamPowers(o: tf.Optimizer): void {
  const adam = o as unknown as {
    iterations_?: number;
    beta1?: number;
    beta2?: number;
    accBeta1?: tf.Variable;
    accBeta2?: tf.Variable;
  };
  const { iterations_: t, beta1, beta2, accBeta1, accBeta2 } = adam;
  if (t === undefined || beta1 === undefined || beta2 === undefined || !accBeta1 || !accBeta2)
    return; // not the tfjs Adam this was written against
  const running = (beta: number) => {
    const b = Math.fround(beta);
    let acc = b;
    for (let i = 0; i < t; i++) acc = Math.fround(acc * b);
    return acc;
  };
  tf.tidy(() => {
    accBeta1.assign(tf.scalar(running(beta1)));
    accBeta2.assign(tf.scalar(running(beta2)));
  });
}

/** The α/β gradient split as tensors, between the update and the snapshot that reads it. */
type SplitTensors = Record<keyof ArchGradSplit, tf.Tensor>;

/**
 * The SRBNAS search loop: first-order DARTS. Each `step()` is one w-step (Adam on a w-train
 * batch, L1) and, from epoch `warmupEpochs` on, one α/β-step (Adam with betas (0.5, 0.999) and
 * PyTorch-style weight decay on an α-val batch, L_arch = L1 + λ·lin·R(α) + γ·lin·R(β)).
 * EDE (t, k) follows edeSchedule per epoch. The caller drives the steps, so pausing is just not
 * calling `step()`; `checkpoint()`/`Search.restore()` carry a run across sessions. Uses the
 * current tfjs backend; everything is seeded (weights, α, crops).
 */
export class Search {
  readonly config: SearchConfig;
  private live: LiveSettings;
  private readonly net: Supernet;
  private readonly wOpt: tf.Optimizer;
  private readonly archOpt: tf.Optimizer;
  private stepIndex = 0;
  private lastValLoss = NaN;
  private disposed = false;
  /**
   * Skip gradients nobody uses: the filter gradients of every conv in the α/β step and the
   * input gradient of the head conv (true by default; false only to measure the saving or to
   * check that it changes nothing).
   */
  get skipUnusedGrads(): boolean {
    return this.net.skipUnusedGrads;
  }
  set skipUnusedGrads(on: boolean) {
    this.net.skipUnusedGrads = on;
  }
  /** Live settings of the α/β gradient computed last (the split must use the same ones). */
  private archLive: LiveSettings | null = null;
  /** Gradient split of this step's α/β update, for the snapshot (null: no update yet). */
  private pendingSplit: SplitTensors | null = null;

  constructor(
    config: SearchConfig,
    private readonly data: SearchData,
  ) {
    for (const k of ['epochs', 'stepsPerEpoch', 'batch', 'patch'] as const)
      if (!Number.isInteger(config[k]) || config[k] < 1)
        throw new Error(`${k} must be a positive integer, got ${config[k]}`);
    this.config = { ...config };
    this.live = liveSettingsOf(config);
    this.net = new Supernet({
      scale: config.scale,
      channels: config.channels,
      cells: config.cells,
      k: config.k,
      groups: config.groups,
      seed: config.seed,
      alphaInitStd: config.alphaInitStd,
    });
    this.wOpt = tf.train.adam(config.wLr, 0.9, 0.999, PYTORCH_ADAM_EPS);
    this.archOpt = tf.train.adam(config.archLr, 0.5, 0.999, PYTORCH_ADAM_EPS);
  }

  /** Change μ, ρ, λ, γ, ν or the L1 target; takes effect at the next step. */
  setLive(partial: Partial<LiveSettings>): void {
    this.live = { ...this.live, ...partial };
  }

  get settings(): LiveSettings {
    return { ...this.live };
  }

  get stepCount(): number {
    return this.stepIndex;
  }

  get totalSteps(): number {
    return this.config.epochs * this.config.stepsPerEpoch;
  }

  get done(): boolean {
    return this.stepIndex >= this.totalSteps;
  }

  /** The supernet (read-only use: tests, inspection). */
  get supernet(): Supernet {
    return this.net;
  }

  /** Epoch, EDE state and regulariser weights of the step about to run. */
  private plan(s: LiveSettings = this.live) {
    const c = this.config;
    const epoch = Math.floor(this.stepIndex / c.stepsPerEpoch);
    const ede = edeSchedule(epoch, c.epochs, c.tMin, c.tMax);
    const linE = lin(epoch, c.regEpochs);
    return {
      epoch,
      ctx: { ede },
      archStep: epoch >= c.warmupEpochs,
      weights: { alpha: s.lambda * linE, beta: s.gamma * linE },
    };
  }

  /** Whether the step about to run has an α/β update (after the warm-up). */
  get archStepNext(): boolean {
    return this.plan().archStep;
  }

  /**
   * w-step gradients on a w-train batch (α, β fixed): mean L1 and ∂/∂w keyed by variable name.
   * The caller owns (disposes) the returned tensors. step() = this + applyWGrads; data-parallel
   * replicas (src/core/parallel) call the two halves with an all-reduce in between.
   */
  computeWGrads(batch: PatchBatch): { loss: tf.Scalar; grads: tf.NamedTensorMap } {
    const { ctx } = this.plan();
    const tb = batchTensors(batch);
    const { value, grads } = tf.variableGrads(
      () => l1Loss(this.net.forward(tb.lr, tb.bic, ctx), tb.hr),
      this.net.weights.list(),
    );
    tf.dispose([tb.lr, tb.hr, tb.bic]);
    return { loss: value, grads };
  }

  /** Adam update of the weights from (possibly all-reduced) gradients; does not dispose them. */
  applyWGrads(grads: tf.NamedTensorMap): void {
    this.wOpt.applyGradients(grads);
  }

  /**
   * α/β gradients on an α-val batch: L_arch = L1 + λ·lin·R(α) + γ·lin·R(β) and ∂/∂(α, β);
   * `valL1` is the L1 part. The caller owns the returned tensors. `live`: the settings to use
   * (default the current ones; step() passes those it started with).
   */
  computeArchGrads(
    batch: PatchBatch,
    live: LiveSettings = this.live,
  ): {
    loss: tf.Scalar;
    valL1: tf.Scalar;
    grads: tf.NamedTensorMap;
  } {
    const { ctx: plain, weights } = this.plan(live);
    const ctx = { ...plain, frozenWeights: this.skipUnusedGrads };
    const s = live;
    this.archLive = live;
    const vb = batchTensors(batch);
    let valL1: tf.Scalar | null = null;
    const { value, grads } = tf.variableGrads(() => {
      const lv = l1Loss(this.net.forward(vb.lr, vb.bic, ctx), vb.hr);
      valL1 = tf.keep(lv.clone());
      const rA = regAlpha(this.net.alpha as tf.Tensor2D, s.mu, s.rho, s.l1Target);
      const rB = regBeta(edgeGates(this.net.beta as tf.Tensor1D), s.nu);
      const kappa = this.config.dataWeight ?? 1;
      return archLoss(kappa === 1 ? lv : tf.mul(lv, kappa), rA, rB, weights);
    }, this.net.arch.list());
    tf.dispose([vb.lr, vb.hr, vb.bic]);
    return { loss: value, valL1: valL1 as unknown as tf.Scalar, grads };
  }

  /**
   * The regulariser part of an α/β gradient (λ·lin·R(α) + γ·lin·R(β), at the current α, β):
   * cheap (no forward pass, 14 × 7 numbers), and data-independent, so `total − reg` is the
   * data part even when `total` was all-reduced over replicas.
   */
  private splitArchGrads(grads: tf.NamedTensorMap): SplitTensors {
    const s = this.archLive ?? this.live;
    const { weights } = this.plan(s);
    const net = this.net;
    return tf.tidy(() => {
      const { grads: reg } = tf.variableGrads(
        () =>
          tf.add(
            tf.mul(weights.alpha, regAlpha(net.alpha as tf.Tensor2D, s.mu, s.rho, s.l1Target)),
            tf.mul(weights.beta, regBeta(edgeGates(net.beta as tf.Tensor1D), s.nu)),
          ) as tf.Scalar,
        net.arch.list(),
      );
      const rA = reg[net.alpha.name] ?? tf.zerosLike(net.alpha);
      const rB = reg[net.beta.name] ?? tf.zerosLike(net.beta);
      return {
        regAlpha: rA,
        regBeta: rB,
        dataAlpha: tf.sub(grads[net.alpha.name], rA),
        dataBeta: tf.sub(grads[net.beta.name], rB),
      };
    });
  }

  /** Read the split (asynchronously: a sync read stalls, or fails, on GPU backends). */
  private static async readSplit(t: SplitTensors): Promise<ArchGradSplit> {
    const out = {
      regAlpha: (await t.regAlpha.array()) as number[][],
      regBeta: (await t.regBeta.array()) as number[],
      dataAlpha: (await t.dataAlpha.array()) as number[][],
      dataBeta: (await t.dataBeta.array()) as number[],
    };
    tf.dispose(Object.values(t));
    return out;
  }

  /** Adam update of α, β with PyTorch-style weight decay; does not dispose `grads`. */
  applyArchGrads(grads: tf.NamedTensorMap): void {
    if (this.pendingSplit) tf.dispose(Object.values(this.pendingSplit));
    this.pendingSplit = this.splitArchGrads(grads);
    // Weight decay as PyTorch's Adam: λ_wd · θ added to the gradient (not decoupled).
    const decayed: tf.NamedTensorMap = {};
    for (const v of this.net.arch.list())
      decayed[v.name] = tf.tidy(() =>
        tf.add(grads[v.name], tf.mul(v, this.config.archWeightDecay)),
      );
    this.archOpt.applyGradients(decayed);
    tf.dispose(Object.values(decayed));
  }

  async step(): Promise<SearchSnapshot> {
    if (this.disposed) throw new Error('search was disposed');
    const t0 = performance.now();
    const live = this.live; // settings changed during the awaits apply from the next step
    const { epoch, archStep } = this.plan(live);

    // w-step on a w-train batch (α, β fixed).
    const w = this.computeWGrads(this.data.train.next());
    this.applyWGrads(w.grads);
    tf.dispose(Object.values(w.grads));
    const wLoss = (await w.loss.data())[0];
    w.loss.dispose();
    if (!Number.isFinite(wLoss))
      throw new Error(`training loss became ${wLoss} at step ${this.stepIndex} (epoch ${epoch})`);

    // α/β-step on an α-val batch, after the warm-up.
    let valLoss: number | null = null;
    if (archStep) {
      const a = this.computeArchGrads(this.data.val.next(), live);
      this.applyArchGrads(a.grads);
      tf.dispose([a.loss, ...Object.values(a.grads)]);
      valLoss = (await a.valL1.data())[0];
      a.valL1.dispose();
    }
    return this.endStep(t0, wLoss, valLoss, live);
  }

  /**
   * Finish a step whose updates were applied (by step() or a data-parallel coordinator):
   * advance the step counter and report. `valLoss` null = no α/β step this time.
   */
  async endStep(
    t0: number,
    wLoss: number,
    valLoss: number | null,
    live: LiveSettings = this.live,
  ): Promise<SearchSnapshot> {
    const plan = this.plan(live); // of the step that ran, before the counter moves
    if (valLoss !== null) this.lastValLoss = valLoss;
    const split = this.pendingSplit;
    this.pendingSplit = null;
    const archGrad = split ? await Search.readSplit(split) : null;
    this.stepIndex++;
    const snap = await this.snapshot(t0, wLoss, live, plan);
    return archGrad ? { ...snap, archGrad } : snap;
  }

  /**
   * The state before any update (step 0): α, softmax, gates and the derived genotype of the
   * initialisation, so a log or a view can tell what the search changed from what it began
   * with. Losses are NaN (nothing was computed yet).
   */
  async initialSnapshot(): Promise<SearchSnapshot> {
    if (this.stepIndex !== 0) throw new Error('initialSnapshot() is for a search at step 0');
    return this.snapshot(performance.now(), NaN, this.live, {
      ...this.plan(),
      archStep: false,
    });
  }

  private async snapshot(
    t0: number,
    wLoss: number,
    live: LiveSettings,
    plan: ReturnType<Search['plan']>,
  ): Promise<SearchSnapshot> {
    const c = this.config;
    const s = live;
    const { epoch, archStep, ctx, weights } = plan;
    const ede = ctx.ede;

    // Regulariser values (unscaled) at the current α, β.
    const [rA, rB] = tf.tidy(() => [
      regAlpha(this.net.alpha as tf.Tensor2D, s.mu, s.rho, s.l1Target),
      regBeta(edgeGates(this.net.beta as tf.Tensor1D), s.nu),
    ]);
    const regAlphaV = (await rA.data())[0];
    const regBetaV = (await rB.data())[0];
    tf.dispose([rA, rB]);

    const alpha = (await this.net.alpha.array()) as number[][];
    const gates = edgeGatesJS(await this.net.beta.data());
    const p = softmaxRows(alpha);
    const genotype = deriveGenotype(p, gates);
    return {
      step: this.stepIndex,
      epoch,
      archStep,
      wLoss,
      valLoss: this.lastValLoss,
      regAlpha: regAlphaV,
      regBeta: regBetaV,
      regAlphaWeight: weights.alpha,
      regBetaWeight: weights.beta,
      alphaSoftmax: p,
      alpha,
      gates,
      entropy: entropyRows(p),
      genotype,
      derivedParams: derivedParamCount(genotype, c.channels, c.cells, c.scale, c.groups),
      ede,
      settings: { ...s },
      stepMs: performance.now() - t0,
      numTensors: tf.memory().numTensors,
      backend: tf.getBackend(),
    };
  }

  private strip(name: string): string {
    return name.startsWith(this.net.prefix) ? name.slice(this.net.prefix.length) : name;
  }

  private async named(list: { name: string; tensor: tf.Tensor }[]): Promise<NamedValues> {
    const out: NamedValues = {};
    for (const { name, tensor } of list)
      out[this.strip(name)] = { shape: tensor.shape, data: Array.from(await tensor.data()) };
    return out;
  }

  async checkpoint(): Promise<SearchCheckpoint> {
    const params = (p: { vars: Map<string, tf.Variable> }) =>
      this.named([...p.vars.values()].map((v) => ({ name: v.name, tensor: v })));
    const opt = async (o: tf.Optimizer) => {
      const ws = await o.getWeights();
      // Positional order matters to tfjs Adam; keep it in the key order (with an index).
      const out = await this.named(
        ws.map((w, i) => ({ name: `${i}:${this.strip(w.name)}`, tensor: w.tensor })),
      );
      tf.dispose(ws.filter((w) => w.name === 'iter').map((w) => w.tensor));
      return out;
    };
    return {
      format: 'srbnas-search-checkpoint',
      version: 1,
      config: { ...this.config },
      live: { ...this.live },
      step: this.stepIndex,
      lastValLoss: Number.isFinite(this.lastValLoss) ? this.lastValLoss : null,
      weights: await params(this.net.weights),
      arch: await params(this.net.arch),
      wOpt: await opt(this.wOpt),
      archOpt: await opt(this.archOpt),
      drawn: { train: this.data.train.drawn ?? 0, val: this.data.val.drawn ?? 0 },
    };
  }

  /** A search continuing from `cp` on fresh data sources built with the same seed. */
  static async restore(cp: SearchCheckpoint, data: SearchData): Promise<Search> {
    if (cp.format !== 'srbnas-search-checkpoint' || cp.version !== 1)
      throw new Error('not a search checkpoint (format/version)');
    const s = new Search(cp.config, data);
    s.live = { ...cp.live };
    s.stepIndex = cp.step;
    s.lastValLoss = cp.lastValLoss ?? NaN;
    const load = (p: { vars: Map<string, tf.Variable> }, values: NamedValues) => {
      for (const v of p.vars.values()) {
        const saved = values[s.strip(v.name)];
        if (!saved) throw new Error(`checkpoint has no value for ${s.strip(v.name)}`);
        tf.tidy(() => v.assign(tf.tensor(saved.data, saved.shape)));
      }
    };
    load(s.net.weights, cp.weights);
    load(s.net.arch, cp.arch);
    const setOpt = async (o: tf.Optimizer, values: NamedValues) => {
      const entries = Object.entries(values)
        .map(([k, v]) => ({
          i: Number(k.slice(0, k.indexOf(':'))),
          name: k.slice(k.indexOf(':') + 1),
          v,
        }))
        .sort((a, b) => a.i - b.i);
      if (entries.length <= 1) return; // never stepped
      const ws = entries.map(({ name, v }) => ({
        name: name === 'iter' ? name : s.net.prefix + name,
        tensor: name === 'iter' ? tf.scalar(v.data[0], 'int32') : tf.tensor(v.data, v.shape),
      }));
      await o.setWeights(ws);
      tf.dispose(ws.map((w) => w.tensor));
      runningAdamPowers(o);
    };
    await setOpt(s.wOpt, cp.wOpt);
    await setOpt(s.archOpt, cp.archOpt);
    for (const [src, n] of [
      [data.train, cp.drawn.train],
      [data.val, cp.drawn.val],
    ] as const) {
      const have = src.drawn ?? 0;
      if (n > have) {
        if (!src.skip) throw new Error('data source cannot skip ahead to the checkpoint position');
        src.skip(n - have);
      }
    }
    return s;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.pendingSplit) tf.dispose(Object.values(this.pendingSplit));
    this.pendingSplit = null;
    this.net.dispose();
    this.wOpt.dispose();
    this.archOpt.dispose();
  }
}
