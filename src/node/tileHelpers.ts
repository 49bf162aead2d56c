import { Worker } from 'node:worker_threads';
import { TilePool } from '../worker/tilePool';

/**
 * TilePool on worker_threads: n helper threads, each with its own tfjs WASM (tfjs never threads
 * in Node). Wraps a Node Worker in the little of the Web Worker interface TilePool uses.
 */
export function nodeTilePool(n: number): TilePool {
  return new TilePool(n, 'wasm', () => {
    const w = new Worker(new URL('./inferHelper.mjs', import.meta.url), { stdout: false });
    let onmessage: ((ev: MessageEvent) => void) | null = null;
    let onerror: ((ev: ErrorEvent) => void) | null = null;
    w.on('message', (data: unknown) => onmessage?.({ data } as MessageEvent));
    w.on('error', (e: Error) => onerror?.({ message: e.message } as ErrorEvent));
    return {
      postMessage: (m: unknown, t?: Transferable[]) =>
        w.postMessage(m, (t ?? []) as unknown as readonly ArrayBuffer[]),
      set onmessage(f: ((ev: MessageEvent) => void) | null) {
        onmessage = f;
      },
      set onerror(f: ((ev: ErrorEvent) => void) | null) {
        onerror = f;
      },
      terminate: () => void w.terminate(),
    } as unknown as globalThis.Worker;
  });
}
