import type { PatchBatch } from '../data/patches';

/**
 * Messages between the data-parallel coordinator and a replica in another thread (Node
 * worker_threads or a Web Worker). Requests carry an id; each gets exactly one reply with it.
 * Gradients and shards travel as transferable Float32Array buffers.
 */
export type ReplicaRequest =
  /** Build the replica: `kind` picks a factory on the replica side, `init` is its argument. */
  | { id: number; type: 'init'; kind: string; init: unknown }
  | { id: number; type: 'grads'; phase: string; shard: PatchBatch; options?: unknown }
  | { id: number; type: 'apply'; phase: string; grads: Float32Array; missing: number[] }
  | { id: number; type: 'endStep' }
  | { id: number; type: 'checksum' }
  | { id: number; type: 'numTensors' }
  | { id: number; type: 'dispose' };

export type ReplicaReply =
  { id: number; ok: true; result?: unknown } | { id: number; ok: false; error: string };

/** A request without its id (the client numbers them). */
export type ReplicaCall = ReplicaRequest extends infer R
  ? R extends { id: number }
    ? Omit<R, 'id'>
    : never
  : never;

/** The buffers of a request or result worth transferring instead of copying. */
export function transferables(x: unknown): ArrayBuffer[] {
  const out: ArrayBuffer[] = [];
  const visit = (v: unknown) => {
    if (v instanceof Float32Array) {
      // Transfer only buffers the array owns whole (a view would detach its neighbours).
      if (
        v.byteOffset === 0 &&
        v.byteLength === v.buffer.byteLength &&
        v.buffer instanceof ArrayBuffer
      )
        if (!out.includes(v.buffer)) out.push(v.buffer);
    } else if (v && typeof v === 'object') for (const k of Object.values(v)) visit(k);
  };
  visit(x);
  return out;
}
