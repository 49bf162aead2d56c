import { useStore } from '../../state/search/store';
import { setBackendPref } from '../../state/search/controller';
import { BACKEND_PREFS, type BackendPref } from '../../state/shared/backendPref';

/** Choose the tfjs backend (between runs); warns when WebGPU is a software adapter. */
export function BackendPicker() {
  const pref = useStore((s) => s.backendPref);
  const backend = useStore((s) => s.backend);
  const status = useStore((s) => s.status);
  const busy = status === 'running' || status === 'paused' || status === 'starting';
  return (
    <div className="field">
      <label htmlFor="backend-pref">compute backend (runs in a Web Worker)</label>
      <select
        id="backend-pref"
        data-testid="select-backend"
        value={pref}
        disabled={busy}
        onChange={(e) => setBackendPref(e.target.value as BackendPref)}
      >
        {BACKEND_PREFS.map((b) => (
          <option key={b} value={b}>
            {b === 'auto' ? 'auto (WebGPU → WebGL → WASM → CPU; WASM over a software GPU)' : b}
          </option>
        ))}
      </select>
      {backend.state === 'ready' && backend.avoided && (
        <p className="note" data-testid="software-adapter-avoided">
          {backend.avoided}: no GPU would do the work, and on this machine&apos;s CPU WASM is far
          faster (measured on 2 cores: ~35 s a step on the software adapter, ~2 s on WASM). Pick{' '}
          <b>webgpu</b> above to use it anyway.
        </p>
      )}
      {backend.state === 'ready' && backend.softwareAdapter && !backend.avoided && (
        <p className="note warn" data-testid="software-adapter">
          WebGPU is running on a software adapter ({backend.adapter}): no GPU is doing the work, so
          steps are slow. Measured here on 2 CPU cores, the default search took ~35 s a step on this
          adapter and ~2 s on WASM.{' '}
          <button type="button" disabled={busy} onClick={() => setBackendPref('wasm')}>
            Use WASM
          </button>
        </p>
      )}
    </div>
  );
}
