import * as d3 from 'd3';
import { useStore, setState } from '../../state/search/store';
import { deleteRun } from '../../state/search/runsDb';
import { resumeSaved } from '../../state/search/controller';
import { downloadJSON, runGenotypeJSON } from '../shared/genotypeFile';

const num = (v: number | undefined, d: number) =>
  v === undefined || !Number.isFinite(v) ? '–' : v.toFixed(d);

/** Runs of this browser (IndexedDB), to compare μ/ρ against derived size and val loss. */
export function RunsList() {
  const runs = useStore((s) => s.runs);
  const currentId = useStore((s) => s.runId);
  const resumable = useStore((s) => s.resumable);
  const status = useStore((s) => s.status);
  const live = status === 'running' || status === 'paused' || status === 'starting';
  if (!runs.length) return null;
  return (
    <section className="panel runs" aria-label="runs">
      <h2>Runs (kept in this browser)</h2>
      <table data-testid="runs-table">
        <thead>
          <tr>
            <th>run</th>
            <th>status</th>
            <th>μ</th>
            <th>ρ</th>
            <th>L1 on</th>
            <th>step</th>
            <th>derived params</th>
            <th>val loss</th>
            <th>val-loss curve</th>
            <th>backend</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {runs.map((r) => {
            const g = runGenotypeJSON(r);
            return (
              <tr key={r.id} data-run={r.id} className={r.id === currentId ? 'current' : ''}>
                <td title={new Date(r.createdAt).toLocaleString()}>{r.id}</td>
                <td>{r.status}</td>
                <td>{r.last?.settings.mu ?? r.config.mu}</td>
                <td>{r.last?.settings.rho ?? r.config.rho}</td>
                <td>{r.last?.settings.l1Target ?? r.config.l1Target}</td>
                <td>
                  {r.step}/{r.totalSteps}
                </td>
                <td>{r.last ? `${num(r.last.derivedParams / 1000, 1)}K` : '–'}</td>
                <td>{num(r.last?.valLoss, 4)}</td>
                <td>
                  <Sparkline
                    points={r.curve
                      .filter((p) => Number.isFinite(p.valLoss))
                      .map((p) => [p.step, p.valLoss])}
                  />
                </td>
                <td>{r.backend}</td>
                <td>
                  {resumable.includes(r.id) && r.step < r.totalSteps && r.id !== currentId && (
                    <>
                      <button
                        type="button"
                        disabled={live}
                        title={
                          live ? 'reset the current run first' : 'continue from its checkpoint'
                        }
                        data-testid="resume-run"
                        onClick={() => void resumeSaved(r.id)}
                      >
                        resume
                      </button>{' '}
                    </>
                  )}
                  <button
                    type="button"
                    disabled={!g}
                    aria-label={`show the derived cell of run ${r.id}`}
                    onClick={() =>
                      g &&
                      setState({
                        imported: { name: `run ${r.id} (step ${r.step})`, genotype: g },
                        importError: null,
                      })
                    }
                  >
                    show cell
                  </button>{' '}
                  <button
                    type="button"
                    disabled={!g}
                    onClick={() => g && downloadJSON(g, `srbnas-genotype-${r.id}.json`)}
                  >
                    export
                  </button>{' '}
                  <button
                    type="button"
                    disabled={r.id === currentId}
                    aria-label={`delete run ${r.id}`}
                    onClick={() => {
                      void deleteRun(r.id);
                      setState((s) => ({ runs: s.runs.filter((x) => x.id !== r.id) }));
                    }}
                  >
                    delete
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}

/** A tiny line of a run's val loss over steps (for comparing runs at a glance). */
function Sparkline({ points }: { points: [number, number][] }) {
  if (points.length < 2) return <span className="muted">–</span>;
  const x = d3
    .scaleLinear()
    .domain(d3.extent(points, (p) => p[0]) as [number, number])
    .range([1, 79]);
  const [lo, hi] = d3.extent(points, (p) => p[1]) as [number, number];
  const y = d3
    .scaleLinear()
    .domain(hi > lo ? [lo, hi] : [lo - 1, hi + 1])
    .range([17, 1]);
  const d =
    d3
      .line<[number, number]>()
      .x((p) => x(p[0]))
      .y((p) => y(p[1]))(points) ?? '';
  return (
    <svg
      width={80}
      height={18}
      role="img"
      aria-label={`val loss ${hi.toFixed(3)} to ${points[points.length - 1][1].toFixed(3)}`}
    >
      <path d={d} fill="none" stroke="#1f5f9f" />
    </svg>
  );
}
