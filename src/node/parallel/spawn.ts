import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { ReplicaClient } from '../../core/parallel/client';
import type { ReplicaReply } from '../../core/parallel/protocol';

/** Default worker count: the cores Node may use (os.availableParallelism). */
export function defaultWorkers(): number {
  return typeof os.availableParallelism === 'function'
    ? os.availableParallelism()
    : os.cpus().length;
}

/**
 * Start n replica threads (each with its own tfjs WASM backend) and wait until each is ready.
 * Node-only glue around the pure protocol in src/core/parallel.
 */
export async function spawnReplicas(n: number): Promise<ReplicaClient[]> {
  const url = new URL('./worker.mjs', import.meta.url);
  return Promise.all(
    Array.from({ length: n }, async () => {
      const w = new Worker(url, { stdout: false, stderr: false });
      await new Promise<void>((ok, fail) => {
        const onMsg = (m: { ready?: string }) => {
          if (m && m.ready) {
            w.off('message', onMsg);
            w.off('error', fail);
            if (m.ready !== 'wasm') fail(new Error(`replica backend is ${m.ready}, not wasm`));
            else ok();
          }
        };
        w.on('message', onMsg);
        w.once('error', fail);
      });
      let errorHandler: (e: Error) => void = () => undefined;
      w.on('error', (e) => errorHandler(e));
      w.on('exit', (code) => errorHandler(new Error(`replica thread exited (${code})`)));
      return new ReplicaClient({
        post: (msg, transfer) => w.postMessage(msg, transfer),
        onMessage: (h) => w.on('message', (m: ReplicaReply) => h(m)),
        onError: (h) => {
          errorHandler = h;
        },
        terminate: async () => {
          errorHandler = () => undefined;
          await w.terminate();
        },
      });
    }),
  );
}
