import { restartStudio } from '../../state/studio/studioController';
import { useStudio } from '../../state/studio/studioStore';

/**
 * Tells the user the studio worker died, and offers a restart: a fresh worker with the models
 * back, interrupted upscales queued again, an interrupted training run continued from its last
 * checkpoint (the playground's CrashBanner does the same for the search).
 */
export function StudioCrashBanner() {
  const crash = useStudio((s) => s.crash);
  const jobs = useStudio((s) => s.jobs.filter((j) => j.interrupted).length);
  const train = useStudio((s) => s.train);
  if (!crash) return null;
  const what = [
    jobs ? `${jobs} upscale${jobs > 1 ? 's' : ''} again` : '',
    train?.interrupted === 'running'
      ? `training from its last checkpoint${train.checkpointStep !== undefined ? ` (step ${train.checkpointStep})` : ''}`
      : '',
  ].filter(Boolean);
  return (
    <div className="banner error" role="alert" data-testid="studio-crash-banner">
      The studio worker stopped: {crash}.{' '}
      <button type="button" onClick={() => void restartStudio()} data-testid="studio-restart">
        Restart the studio worker{what.length ? ` (${what.join(', ')})` : ''}
      </button>
    </div>
  );
}
