import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { useWasm } from '../nn/testBackend';
import { Rng } from '../rng';
import { createImage, type Image } from '../image/image';
import { searchDataFromImages } from '../data/patches';
import { DEFAULT_SEARCH_CONFIG, PRIMITIVES, type SearchConfig, type SearchSnapshot } from './types';
import { Search } from './search';
import { validateGenotypeJSON, toGenotypeJSON } from './genotype';
import { TINY_SEARCH_CONFIG } from '../testing/tinyRuns';
import type { PatchBatch } from '../data/patches';

beforeAll(useWasm);

function texture(w: number, h: number, seed: number): Image {
  const img = createImage(w, h, 3);
  const rng = new Rng(seed);
  const f = 0.2 + rng.next() * 0.5;
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++)
      for (let c = 0; c < 3; c++)
        img.data[(y * w + x) * 3 + c] = Math.min(
          255,
          Math.floor(120 + 80 * Math.sin(f * x + c) * Math.cos(f * 0.7 * y) + rng.int(40)),
        );
  return img;
}
const IMAGES = Array.from({ length: 4 }, (_, i) => ({
  name: `t${i}`,
  image: texture(48, 40, i + 1),
}));

const TINY: SearchConfig = {
  ...DEFAULT_SEARCH_CONFIG,
  scale: 2,
  channels: 8,
  k: 2,
  groups: 2,
  cells: 1,
  batch: 2,
  patch: 8,
  epochs: 4,
  stepsPerEpoch: 2,
  warmupEpochs: 1,
  regEpochs: 4,
  seed: 3,
};

const data = (c: SearchConfig) =>
  searchDataFromImages(IMAGES, { scale: c.scale, patch: c.patch, batch: c.batch, seed: c.seed });

/** Snapshot minus what depends on the clock or on tensors other code holds. */
const stable = (s: SearchSnapshot) => ({ ...s, stepMs: 0, numTensors: 0 });

async function run(c: SearchConfig, steps: number): Promise<SearchSnapshot[]> {
  const s = new Search(c, data(c));
  const out: SearchSnapshot[] = [];
  for (let i = 0; i < steps; i++) out.push(stable(await s.step()));
  s.dispose();
  return out;
}

describe('Search', () => {
  it('emits well-formed snapshots; α/β move only after the warm-up', async () => {
    const snaps = await run(TINY, 5);
    const [a, b, c] = snaps;
    expect(a.archStep).toBe(false);
    expect(Number.isNaN(a.valLoss)).toBe(true);
    expect(b.alpha).toEqual(a.alpha); // warm-up epoch 0: only weights move
    expect(c.archStep).toBe(true);
    expect(Number.isFinite(c.valLoss)).toBe(true);
    expect(c.alpha).not.toEqual(b.alpha);
    expect(c.gates.slice(2)).not.toEqual(b.gates.slice(2));
    expect(c.gates.slice(0, 2)).toEqual([1, 1]);
    for (const s of snaps) {
      expect(s.alphaSoftmax.length).toBe(14);
      expect(s.alphaSoftmax.every((r) => r.length === PRIMITIVES.length)).toBe(true);
      expect(s.genotype.normal.length).toBe(8);
      expect(Number.isFinite(s.wLoss)).toBe(true);
      expect(s.backend).toBe('wasm');
      // lin(e) = e / 4 with λ = 1.5, γ = 0.8.
      expect(s.regAlphaWeight).toBeCloseTo(1.5 * (s.epoch / 4), 12);
      expect(s.regBetaWeight).toBeCloseTo(0.8 * (s.epoch / 4), 12);
      expect(s.ede.t).toBeCloseTo(10 ** (-1 + (2 * s.epoch) / 4), 10);
    }
    const last = snaps[4];
    const j = toGenotypeJSON(last.genotype, 2);
    expect(validateGenotypeJSON(JSON.parse(JSON.stringify(j))).ok).toBe(true);
  });

  it('same seed, data and backend ⇒ identical snapshots and genotype; another seed differs', async () => {
    const a = await run(TINY, 6);
    const b = await run(TINY, 6);
    expect(b).toEqual(a);
    const c = await run({ ...TINY, seed: 4 }, 6);
    expect(c[5].alpha).not.toEqual(a[5].alpha);
  });

  it('live settings apply from the next step', async () => {
    const s = new Search(TINY, data(TINY));
    await s.step();
    await s.step();
    const before = await s.step();
    s.setLive({ lambda: 3, mu: 0, rho: 1 });
    const after = await s.step();
    expect(after.settings.lambda).toBe(3);
    expect(after.regAlphaWeight).toBeCloseTo(3 * (after.epoch / 4), 12);
    // R(α) = −ρ Σ p² (μ = 0) with the new settings.
    const want = -after.alphaSoftmax.reduce((acc, r) => acc + r.reduce((a, p) => a + p * p, 0), 0);
    expect(after.regAlpha).toBeCloseTo(want, 4);
    expect(before.regAlpha).toBeLessThan(-14 * 0.8); // −(0.8·14 + 0.2 Σp²)
    s.dispose();
  });

  it('a checkpoint at any step resumes the run exactly', async () => {
    const full = await run(TINY, 6);
    // Every step: tfjs Adam's setWeights() rounds β^t differently from a running optimizer at
    // some t (2 and 4 here), which Search.restore has to undo.
    for (let at = 1; at < 6; at++) {
      const s = new Search(TINY, data(TINY));
      for (let i = 0; i < at; i++) await s.step();
      const cp = JSON.parse(JSON.stringify(await s.checkpoint()));
      s.dispose();
      const r = await Search.restore(cp, data(TINY));
      const rest: SearchSnapshot[] = [];
      for (let i = at; i < 6; i++) rest.push(stable(await r.step()));
      r.dispose();
      expect(rest, `restored at step ${at}`).toEqual(full.slice(at));
    }
  });

  it('the step-0 snapshot is the initialisation, before any update', async () => {
    const s = new Search(TINY, data(TINY));
    const s0 = await s.initialSnapshot();
    expect(s0.step).toBe(0);
    expect(s0.archStep).toBe(false);
    expect(Number.isNaN(s0.wLoss)).toBe(true);
    expect(s0.alpha).toEqual(await s.supernet.alpha.array());
    expect(s0.gates.slice(2).every((g) => g > 0 && g < 1)).toBe(true);
    expect(s0.archGrad).toBeUndefined();
    // The first real step reports step 1 and moves nothing of α during the warm-up.
    const s1 = await s.step();
    expect(s1.step).toBe(1);
    expect(s1.alpha).toEqual(s0.alpha);
    await expect(s.initialSnapshot()).rejects.toThrow(/step 0/);
    s.dispose();
  });

  it('splits each α/β gradient into its data part and its regulariser part', async () => {
    // Two identical searches; B's α/β step has λ = γ = 0, so its whole gradient is the data
    // part, which must equal A's data part (same weights, same batch), and A's regulariser part
    // must be the analytic gradient of λ·lin·R(α) + γ·lin·R(β).
    const c = { ...TINY, warmupEpochs: 0, regEpochs: 1 }; // lin = 1 from epoch 1 on
    const a = new Search(c, data(c));
    const b = new Search(c, data(c));
    for (let i = 0; i < 2; i++) await Promise.all([a.step(), b.step()]);
    b.setLive({ lambda: 0, gamma: 0 });
    const alphaBefore = (await a.supernet.alpha.array()) as number[][];
    const [sa, sb] = [await a.step(), await b.step()];
    const ga = sa.archGrad!;
    const gb = sb.archGrad!;
    expect(sa.regAlphaWeight).toBe(1.5);
    for (let e = 0; e < 14; e++)
      for (let o = 0; o < 6; o++) {
        expect(Math.abs(gb.regAlpha[e][o])).toBe(0);
        expect(ga.dataAlpha[e][o]).toBeCloseTo(gb.dataAlpha[e][o], 9);
      }
    expect(ga.dataAlpha.flat().some((x) => x !== 0)).toBe(true);
    expect(ga.dataBeta.slice(2).some((x) => x !== 0)).toBe(true);
    for (let e = 0; e < 14; e++) expect(ga.dataBeta[e]).toBeCloseTo(gb.dataBeta[e], 9);
    // ∂(λ·R(α))/∂α_o = −λ ρ · 2 p_o (p_o − Σ p²) at the α the step started from (the softmax
    // L1 of μ has no gradient).
    const { lambda, rho } = sa.settings;
    alphaBefore.forEach((row, e) => {
      const m = Math.max(...row);
      const ex = row.map((x) => Math.exp(x - m));
      const z = ex.reduce((u, v) => u + v, 0);
      const p = ex.map((x) => x / z);
      const sq = p.reduce((u, v) => u + v * v, 0);
      p.forEach((po, o) =>
        expect(ga.regAlpha[e][o]).toBeCloseTo(-lambda * rho * 2 * po * (po - sq), 7),
      );
    });
    a.dispose();
    b.dispose();
  });

  it('skipping the unused gradients (filters in the α/β step, the head input) changes nothing', async () => {
    const c = { ...TINY, warmupEpochs: 1 };
    const lean = new Search(c, data(c));
    const full = new Search(c, data(c));
    full.skipUnusedGrads = false;
    expect(lean.skipUnusedGrads).toBe(true);
    for (let i = 0; i < 5; i++) {
      const [a, b] = [stable(await lean.step()), stable(await full.step())];
      expect(a).toEqual(b); // α, gates, losses, gradient split: bit for bit
    }
    const cl = await lean.checkpoint();
    const cf = await full.checkpoint();
    expect(cl.weights).toEqual(cf.weights);
    expect(cl.archOpt).toEqual(cf.archOpt);
    lean.dispose();
    full.dispose();
  });

  it('tensor count stays flat over 50 steps and dispose frees everything', async () => {
    const before = tf.memory().numTensors;
    const c = { ...TINY, epochs: 50, stepsPerEpoch: 1, warmupEpochs: 1, regEpochs: 50 };
    const s = new Search(c, data(c));
    const counts: number[] = [];
    for (let i = 0; i < 50; i++) counts.push((await s.step()).numTensors);
    // Both optimisers have created their moments by step 3.
    expect(new Set(counts.slice(3)).size).toBe(1);
    expect(counts[49]).toBe(tf.memory().numTensors);
    s.dispose();
    // Everything the search made is freed: variables, optimiser moments, and no initial-value
    // tensor per variable (Params.variable disposes it).
    expect(tf.memory().numTensors).toBe(before);
  });
});

/** The smallest search (C = 4, batch 1, patch 6; epoch 0 of 2 steps is the warm-up). */
const SMALL = TINY_SEARCH_CONFIG;

describe('Search (API contract)', () => {
  it('refuses a config whose epochs, steps, batch or patch is not a positive integer', () => {
    for (const k of ['epochs', 'stepsPerEpoch', 'batch', 'patch'] as const)
      for (const bad of [0, -2, 1.5])
        expect(() => new Search({ ...SMALL, [k]: bad }, data(SMALL)), `${k} = ${bad}`).toThrow(
          `${k} must be a positive integer, got ${bad}`,
        );
  });

  it('reports its live settings (a copy), the next step kind, and steps the weights', async () => {
    const s = new Search(SMALL, data(SMALL));
    const { mu, rho, lambda, gamma, nu, l1Target } = SMALL;
    expect(s.settings).toEqual({ mu, rho, lambda, gamma, nu, l1Target });
    s.setLive({ lambda: 3 });
    const got = s.settings;
    expect(got.lambda).toBe(3);
    got.mu = 123; // a copy: changing it changes nothing
    expect(s.settings.mu).toBe(mu);

    s.skipUnusedGrads = false;
    expect(s.skipUnusedGrads).toBe(false);
    expect(s.supernet.skipUnusedGrads).toBe(false);

    // Warm-up epoch 0 (steps 1, 2): w-steps only; the weights move, α does not.
    const w0 = await s.supernet.weights.toJSON();
    expect(s.archStepNext).toBe(false);
    const t0 = performance.now();
    const a = await s.step();
    const wall = performance.now() - t0;
    expect(a.stepMs).toBeGreaterThanOrEqual(0);
    expect(a.stepMs).toBeLessThanOrEqual(wall);
    const w1 = await s.supernet.weights.toJSON();
    const moved = Object.keys(w0).filter((k) => w0[k].data.some((x, i) => x !== w1[k].data[i]));
    expect(moved).toContain(`${s.supernet.prefix}tail/w`);
    expect(moved.length).toBeGreaterThan(Object.keys(w0).length / 2);
    expect(s.archStepNext).toBe(false);
    expect((await s.step()).archStep).toBe(false);
    expect(s.archStepNext).toBe(true);
    expect((await s.step()).archStep).toBe(true);
    s.dispose();
  });

  it('a training loss that is not finite stops the search with the step and epoch', async () => {
    const d = data(SMALL);
    const nanBatch = (): PatchBatch => {
      const b = d.train.next();
      return { ...b, lr: b.lr.map(() => NaN) };
    };
    const s = new Search(SMALL, { train: { next: nanBatch }, val: d.val });
    await expect(s.step()).rejects.toThrow('training loss became NaN at step 0 (epoch 0)');
    s.dispose();
  });

  it('κ (dataWeight) scales the data part of the α/β gradient, not the regulariser part', async () => {
    // Warm-up 0: step 1 already has an α/β step, after identical w-steps.
    const c = { ...SMALL, warmupEpochs: 0, regEpochs: 1 };
    const [one, two] = [1, 2.5].map((k) => new Search({ ...c, dataWeight: k }, data(c)));
    const [g1, g2] = [(await one.step()).archGrad!, (await two.step()).archGrad!];
    const d1 = g1.dataAlpha.flat();
    const d2 = g2.dataAlpha.flat();
    expect(Math.max(...d1.map(Math.abs))).toBeGreaterThan(1e-6);
    d1.forEach((x, i) => expect(d2[i]).toBeCloseTo(2.5 * x, 6));
    expect(g2.regAlpha).toEqual(g1.regAlpha);
    one.dispose();
    two.dispose();
  });

  it('dispose is idempotent, frees a pending gradient split, and stops the search', async () => {
    const before = tf.memory().numTensors;
    const c = { ...SMALL, warmupEpochs: 0 };
    const d = data(c);
    const s = new Search(c, d);
    // A data-parallel coordinator applies α/β gradients itself; two applications before the
    // step ends (and a dispose before it ends) must not leak their gradient splits.
    for (let i = 0; i < 2; i++) {
      const a = s.computeArchGrads(d.val.next());
      s.applyArchGrads(a.grads);
      tf.dispose([a.loss, a.valL1, ...Object.values(a.grads)]);
    }
    s.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(() => s.dispose()).not.toThrow();
    await expect(s.step()).rejects.toThrow('search was disposed');
  });
});
