import { useEffect } from 'react';
import { useStore } from '../../state/search/store';
import { pause, play, reset, step } from '../../state/search/controller';
import { configProblems } from '../../state/search/configSpec';
import { BackendPicker } from './BackendPicker';

/** Play / pause / step / reset, as labelled buttons and as keys (Space, S, R) outside inputs. */
export function RunButtons() {
  const status = useStore((s) => s.status);
  const latest = useStore((s) => s.latest);
  const total = useStore((s) => s.totalSteps);
  const pauseRequested = useStore((s) => s.pauseRequested);
  const config = useStore((s) => s.config);
  const backendReady = useStore((s) => s.backend.state === 'ready');
  const blocked = configProblems(config).length > 0 || !backendReady;
  const running = status === 'running' || status === 'starting';
  const canPlay = !blocked && !running;
  const canStep = !blocked && !running && status !== 'crashed';

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement | null;
      if (t && (t.closest('input, select, textarea, button') || t.isContentEditable)) return;
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      if (e.key === ' ') {
        e.preventDefault();
        if (running) pause();
        else if (canPlay) play();
      } else if (e.key === 's' && canStep) step();
      else if (e.key === 'r') reset();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [running, canPlay, canStep]);

  const epoch = latest ? latest.epoch : 0;
  return (
    <section className="panel run" aria-label="run controls">
      <div className="buttons">
        {running ? (
          <button
            type="button"
            onClick={pause}
            aria-keyshortcuts="Space"
            data-testid="pause"
            disabled={status === 'starting' || pauseRequested}
          >
            {pauseRequested ? '❚❚ Pausing after this step…' : '❚❚ Pause'}
          </button>
        ) : (
          <button
            type="button"
            onClick={play}
            disabled={!canPlay}
            aria-keyshortcuts="Space"
            data-testid="play"
          >
            ▶ {status === 'paused' ? 'Resume' : status === 'crashed' ? 'Restart' : 'Play'}
          </button>
        )}
        <button
          type="button"
          onClick={step}
          disabled={!canStep}
          aria-keyshortcuts="S"
          data-testid="step"
        >
          Step +1
        </button>
        <button
          type="button"
          onClick={reset}
          disabled={status === 'idle'}
          aria-keyshortcuts="R"
          data-testid="reset"
        >
          ⟲ Reset
        </button>
      </div>
      <div className="status" aria-live="polite">
        <span data-testid="run-status" data-status={status}>
          {status}
        </span>{' '}
        · step <b data-testid="step-counter">{latest?.step ?? 0}</b> /{' '}
        {total || config.epochs * config.stepsPerEpoch} · epoch {epoch}
        {latest && (
          <>
            {' '}
            · {latest.archStep ? 'α/β steps on' : 'warm-up (weights only)'} ·{' '}
            {latest.stepMs.toFixed(0)} ms/step · {latest.numTensors} tensors · EDE t=
            {latest.ede.t.toFixed(2)}
          </>
        )}
      </div>
      {latest && (status === 'running' || status === 'paused') && total > latest.step && (
        <div className="small muted" data-testid="eta">
          about {formatDuration(((total - latest.step) * latest.stepMs) / 1000)} left at the last
          step&apos;s pace
        </div>
      )}
      <p className="muted small">Keys: Space play/pause, S step, R reset.</p>
      <BackendPicker />
    </section>
  );
}

function formatDuration(s: number): string {
  if (s < 90) return `${Math.round(s)} s`;
  if (s < 5400) return `${Math.round(s / 60)} min`;
  return `${(s / 3600).toFixed(1)} h`;
}
