import { useStore } from '../../state/search/store';

export function RunLog() {
  const log = useStore((s) => s.log);
  return (
    <section className="panel log" aria-label="run log">
      <h2>Run log</h2>
      <ol data-testid="run-log" aria-live="polite">
        {log.slice(-80).map((l, i) => (
          <li key={`${l.t}-${i}`} className={l.level}>
            <time>{new Date(l.t).toLocaleTimeString()}</time> {l.text}
          </li>
        ))}
      </ol>
    </section>
  );
}
