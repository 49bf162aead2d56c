import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { useWasm } from '../nn/testBackend';
import { syntheticImage } from '../model/testUtil';
import { searchDataFor } from '../data/patches';
import { TINY_SEARCH_CONFIG } from '../testing/tinyRuns';
import { Search, type BatchSource, type SearchCheckpoint } from './search';
import type { SearchConfig, SearchSnapshot } from './types';

beforeAll(useWasm);

/**
 * Search.checkpoint / Search.restore on the smallest search (one cell of C = 4, batch 1,
 * patch 6; epoch 0 is the warm-up, so step 3 is the first with an α/β update).
 */
const CONFIG = TINY_SEARCH_CONFIG;
const images = [
  { name: 'a', image: syntheticImage(32, 32, 1) },
  { name: 'b', image: syntheticImage(30, 28, 2) },
];
const data = (c: SearchConfig = CONFIG) => searchDataFor(images, c);
const stable = (s: SearchSnapshot) => ({ ...s, stepMs: 0, numTensors: 0 });
/** A checkpoint as a file holds it (plain JSON, read back). */
const asFile = async (s: Search): Promise<SearchCheckpoint> =>
  JSON.parse(JSON.stringify(await s.checkpoint())) as SearchCheckpoint;

async function searchAt(steps: number, c: SearchConfig = CONFIG): Promise<Search> {
  const s = new Search(c, data(c));
  for (let i = 0; i < steps; i++) await s.step();
  return s;
}

/** The same values with the keys in reverse order (as a JSON tool may rewrite them). */
/** The restored search's next step is an α/β step and equals the original's; both disposed. */
async function expectSameArchStep(restored: Search, original: Search): Promise<void> {
  const [a, b] = [stable(await restored.step()), stable(await original.step())];
  expect(a.archStep).toBe(true);
  expect(a).toEqual(b);
  original.dispose();
  restored.dispose();
}

const reversedKeys = <T extends object>(o: T): T =>
  Object.fromEntries(Object.entries(o).reverse()) as T;

describe('Search checkpoints', () => {
  it('restores optimiser state by its saved index, whatever the key order of the file', async () => {
    // After 3 steps both Adams hold moments: w (many variables) and α/β.
    const s = await searchAt(3);
    const cp = await asFile(s);
    expect(Object.keys(cp.wOpt)[0]).toBe('0:iter');
    expect(Object.keys(cp.wOpt).length).toBeGreaterThan(10);
    expect(Object.keys(cp.archOpt)).toEqual([
      '0:iter',
      '1:alpha/m',
      '2:beta/m',
      '3:alpha/v',
      '4:beta/v',
    ]);
    const shuffled = { ...cp, wOpt: reversedKeys(cp.wOpt), archOpt: reversedKeys(cp.archOpt) };
    const r = await Search.restore(shuffled, data());
    // The restored search saves exactly what it was restored from (names, order, iter) ...
    expect(await asFile(r)).toEqual(cp);
    // ... and continues as the uninterrupted one.
    expect(stable(await r.step())).toEqual(stable(await s.step()));
    s.dispose();
    r.dispose();
  });

  it('refuses what is not a version-1 search checkpoint', async () => {
    const s = new Search(CONFIG, data());
    const cp = await asFile(s);
    s.dispose();
    const wrongFormat = { ...cp, format: 'srbnas-train-checkpoint' } as unknown as SearchCheckpoint;
    await expect(Search.restore(wrongFormat, data())).rejects.toThrow(
      'not a search checkpoint (format/version)',
    );
    const wrongVersion = { ...cp, version: 2 } as unknown as SearchCheckpoint;
    await expect(Search.restore(wrongVersion, data())).rejects.toThrow(
      'not a search checkpoint (format/version)',
    );
  });

  it('names the variable a checkpoint lacks', async () => {
    const s = new Search(CONFIG, data());
    const cp = await asFile(s);
    s.dispose();
    const key = Object.keys(cp.weights).find((k) => k.includes('fuse/w'))!;
    expect(key).toBe('cell0/fuse/w');
    const noWeight = { ...cp, weights: { ...cp.weights } };
    delete noWeight.weights[key];
    await expect(Search.restore(noWeight, data())).rejects.toThrow(
      'checkpoint has no value for cell0/fuse/w',
    );
    const noBeta = { ...cp, arch: { ...cp.arch } };
    delete noBeta.arch.beta;
    await expect(Search.restore(noBeta, data())).rejects.toThrow(
      'checkpoint has no value for beta',
    );
  });

  it('a checkpoint from before κ existed (no dataWeight) runs with κ = 1', async () => {
    // Step 3 is the first α/β step, the one that reads κ.
    const c = { ...CONFIG, dataWeight: 1 };
    const s = await searchAt(2, c);
    const cp = await asFile(s);
    const old = { ...cp, config: { ...cp.config } } as SearchCheckpoint;
    delete (old.config as Partial<SearchConfig>).dataWeight;
    const r = await Search.restore(old, data(c));
    await expectSameArchStep(r, s);
  });

  it('an optimiser that never stepped may have no saved state at all', async () => {
    // At step 2 the α/β Adam has not stepped (warm-up): its state is just the counter, or
    // nothing in a checkpoint that leaves it out. Step 3 is its first step.
    const s = await searchAt(2);
    const cp = await asFile(s);
    expect(Object.keys(cp.archOpt)).toEqual(['0:iter']);
    const r = await Search.restore({ ...cp, archOpt: {} }, data());
    await expectSameArchStep(r, s);
  });

  it('skips a source only by the batches it still lacks', async () => {
    const s = await searchAt(2);
    const cp = await asFile(s);
    expect(cp.drawn).toEqual({ train: 2, val: 0 });
    // A source that has already handed out one batch (e.g. a preview) needs one more skipped.
    const d = data();
    d.train.next();
    const r = await Search.restore(cp, d);
    expect(d.train.drawn).toBe(2);
    expect(stable(await r.step())).toEqual(stable(await s.step()));
    s.dispose();
    r.dispose();
  });

  it('a source that cannot skip is refused only when it would have to', async () => {
    const s = await searchAt(2);
    const cp = await asFile(s);
    s.dispose();
    const plain = (src: BatchSource): BatchSource => ({ next: () => src.next() });
    // The α-val source has drawn nothing yet: nothing to replay, a plain source will do.
    const d = data();
    const r = await Search.restore(cp, { train: d.train, val: plain(d.val) });
    expect(r.stepCount).toBe(2);
    r.dispose();
    // The w-train source is 2 batches in.
    const d2 = data();
    await expect(Search.restore(cp, { train: plain(d2.train), val: d2.val })).rejects.toThrow(
      'data source cannot skip ahead to the checkpoint position',
    );
  });

  it('checkpointing and restoring leave no tensors behind', async () => {
    const s = await searchAt(3);
    const before = tf.memory().numTensors;
    const cp = await asFile(s);
    await s.checkpoint();
    expect(tf.memory().numTensors).toBe(before);
    s.dispose();
    const empty = tf.memory().numTensors;
    const r = await Search.restore(cp, data());
    r.dispose();
    expect(tf.memory().numTensors).toBe(empty);
  });
});
