import { useStore } from '../state/search/store';

/** Shows which tfjs backend the worker got, and why faster ones were skipped. */
export function BackendBadge() {
  const b = useStore((s) => s.backend);
  if (b.state === 'starting')
    return (
      <span className="badge" data-testid="backend" data-state="starting">
        starting backend…
      </span>
    );
  if (b.state === 'failed')
    return (
      <span className="badge badge-error" role="alert" data-testid="backend" data-state="failed">
        no backend: {b.message}
      </span>
    );
  return (
    <span
      className="badge"
      data-testid="backend"
      data-state="ready"
      data-backend={b.name}
      title={
        b.skipped.map((s) => `${s.name} skipped: ${s.error}`).join('\n') || `tfjs ${b.tfVersion}`
      }
    >
      backend: {b.name}
      {b.skipped.length > 0 && (
        <small> (fell back: {b.skipped.map((s) => s.name).join(', ')})</small>
      )}
    </span>
  );
}
