import * as tf from '@tensorflow/tfjs';

/** Backends in preference order (docs/design.md §4): WebGPU first, then WebGL, WASM, CPU. */
export const BACKEND_ORDER = ['webgpu', 'webgl', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_ORDER)[number];

export interface BackendAttempt {
  name: string;
  error: string;
}

export interface BackendChoice {
  /** The backend tfjs is now running on. */
  name: string;
  /** Backends tried before it, each with the reason it was skipped (shown to the user). */
  skipped: BackendAttempt[];
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not start within ${ms} ms`)), ms);
    p.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

/**
 * Try each backend in turn and keep the first that initialises and runs a tiny op.
 * A timeout guards against backends whose init never resolves (seen with threaded WASM under
 * COOP/COEP), so the caller always gets an answer.
 */
export async function chooseBackend(
  order: readonly string[] = BACKEND_ORDER,
  timeoutMs = 30_000,
): Promise<BackendChoice> {
  const skipped: BackendAttempt[] = [];
  for (const name of order) {
    if (tf.findBackendFactory(name) == null) {
      skipped.push({ name, error: 'not registered in this build' });
      continue;
    }
    try {
      const ok = await withTimeout(tf.setBackend(name), timeoutMs, `backend ${name}`);
      if (!ok) throw new Error('initialisation failed (setBackend returned false)');
      await tf.ready();
      // A smoke op: some backends initialise but fail on first kernel.
      const probe = tf.tidy(() => tf.add(tf.scalar(1), tf.scalar(2)));
      const v = (await probe.data())[0];
      probe.dispose();
      if (v !== 3) throw new Error(`smoke test gave ${v}`);
      return { name: tf.getBackend(), skipped };
    } catch (e) {
      skipped.push({ name, error: e instanceof Error ? e.message : String(e) });
    }
  }
  throw new Error(
    'No tfjs backend could start: ' + skipped.map((s) => `${s.name}: ${s.error}`).join('; '),
  );
}
