/**
 * The user's tfjs backend preference, shared by both pages' workers (the search playground's
 * and the studio's).
 */

/** Which tfjs backend the worker should try first ('auto' = WebGPU → WebGL → WASM → CPU). */
export const BACKEND_PREFS = ['auto', 'webgpu', 'webgl', 'wasm', 'cpu'] as const;
export type BackendPref = (typeof BACKEND_PREFS)[number];

/** The order handed to the worker: the preferred backend first, the others as fallbacks. */
export function backendOrder(pref: BackendPref): string[] | undefined {
  if (pref === 'auto') return undefined;
  return [pref, ...BACKEND_PREFS.filter((b) => b !== 'auto' && b !== pref)];
}
