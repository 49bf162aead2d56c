import * as tf from '@tensorflow/tfjs';
import { Rng } from '../rng';

export type Init =
  | { kind: 'zeros' }
  | { kind: 'ones' }
  | { kind: 'constant'; value: number }
  /** He/Kaiming normal with the given fan-in (std = gain / sqrt(fanIn)). */
  | { kind: 'heNormal'; fanIn: number; gain?: number }
  | { kind: 'normal'; std: number };

/**
 * Named trainable variables with seeded initialisation. Modules ask for their variables by a
 * hierarchical name ("cell0/edge3/op1/w"); the search keeps two stores (weights and
 * architecture) so the two optimisers see disjoint variable lists (as GAN Lab does).
 */
export class Params {
  readonly vars = new Map<string, tf.Variable>();
  private rng: Rng;
  constructor(seed: number) {
    this.rng = new Rng(seed);
  }

  variable(name: string, shape: number[], init: Init): tf.Variable {
    const existing = this.vars.get(name);
    if (existing) return existing;
    const n = shape.reduce((a, b) => a * b, 1);
    const data = new Float32Array(n);
    switch (init.kind) {
      case 'zeros':
        break;
      case 'ones':
        data.fill(1);
        break;
      case 'constant':
        data.fill(init.value);
        break;
      case 'heNormal': {
        const std = (init.gain ?? Math.SQRT2) / Math.sqrt(init.fanIn);
        for (let i = 0; i < n; i++) data[i] = this.rng.normal() * std;
        break;
      }
      case 'normal':
        for (let i = 0; i < n; i++) data[i] = this.rng.normal() * init.std;
        break;
    }
    // tf.variable keeps its own reference to the data: dispose the source tensor, else every
    // build leaks one tensor (and its bytes once the variable is disposed) per variable.
    const init0 = tf.tensor(data, shape);
    const v = tf.variable(init0, true, name);
    init0.dispose();
    this.vars.set(name, v);
    return v;
  }

  list(): tf.Variable[] {
    return [...this.vars.values()];
  }

  count(): number {
    let c = 0;
    for (const v of this.vars.values()) c += v.size;
    return c;
  }

  /** Plain-JSON copy of every value (for checkpoints and snapshots). */
  async toJSON(): Promise<Record<string, { shape: number[]; data: number[] }>> {
    const out: Record<string, { shape: number[]; data: number[] }> = {};
    for (const [k, v] of this.vars) out[k] = { shape: v.shape, data: Array.from(await v.data()) };
    return out;
  }

  dispose(): void {
    for (const v of this.vars.values()) v.dispose();
    this.vars.clear();
  }
}
