import { useStore } from '../../state/search/store';
import { restartAfterCrash } from '../../state/search/controller';

/** Tells the user the worker died, and offers a restart from the last snapshot's config. */
export function CrashBanner() {
  const crash = useStore((s) => s.crash);
  const latest = useStore((s) => s.latest);
  if (!crash) return null;
  return (
    <div className="banner error" role="alert" data-testid="crash-banner">
      The compute worker stopped: {crash}.{' '}
      <button type="button" onClick={restartAfterCrash}>
        Restart worker and search{latest ? ` (config and μ/ρ of step ${latest.step})` : ''}
      </button>
    </div>
  );
}
