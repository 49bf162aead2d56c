import { useEffect } from 'react';
import { bootStudio, debugCrashStudio, queryMemory } from '../../state/studio/studioController';
import { loadDefaultImages } from '../shared/images';
import { addStudioWarning, setStudio, useStudio } from '../../state/studio/studioStore';
import { DropZone } from './DropZone';
import { JobCard } from './JobCard';
import { ModelInfoPanel } from './ModelInfoPanel';
import { ModelPicker } from './ModelPicker';
import { TrainPanel } from './TrainPanel';
import { StudioCrashBanner } from './StudioCrashBanner';

let booted = false;

/** The default images, for in-page training. */
async function trainingImages() {
  return (await loadDefaultImages()).map(({ name, image }) => ({ name, image }));
}

/** The upscale studio: upscale/evaluate images with a model, train one in the page. */
export function Studio() {
  const backend = useStudio((s) => s.backend);
  const jobs = useStudio((s) => s.jobs);
  const errors = useStudio((s) => s.inputErrors);
  const info = useStudio((s) => s.models.find((m) => m.id === s.selected));
  const memory = useStudio((s) => s.memory);
  const warnings = useStudio((s) => s.warnings);
  useEffect(() => {
    // Booted once and kept for the page's life: switching tabs loses no job or model.
    if (!booted) bootStudio(trainingImages);
    booted = true;
    // Test hooks (e2e memory and crash checks) and a console handle for users; crashWorker only
    // breaks the user's own worker.
    (window as unknown as { __srbnasStudio: object }).__srbnasStudio = {
      memory: queryMemory,
      crashWorker: debugCrashStudio,
    };
  }, []);
  return (
    <div className="studio" data-testid="studio">
      <StudioCrashBanner />
      <div className="studio-side">
        <div
          className="studio-backend studio-card"
          data-testid="studio-backend"
          data-state={backend.state}
          data-backend={backend.name ?? ''}
        >
          studio worker: {backend.state === 'ready' ? backend.name : backend.state}
          {backend.threads && (
            <span data-testid="studio-threads" data-threads={backend.threads}>
              {' '}
              × {backend.threads} threads
            </span>
          )}
          {backend.note && (
            <span className="note" data-testid="studio-backend-note">
              {' '}
              ({backend.note})
            </span>
          )}
          {backend.message && <span className="studio-error"> {backend.message}</span>}{' '}
          <button
            onClick={() =>
              queryMemory().catch((e: unknown) =>
                setStudio((s) => addStudioWarning(s, `tf.memory(): ${String(e)}`)),
              )
            }
            data-testid="studio-memory-button"
          >
            tf.memory()
          </button>{' '}
          {memory && (
            <span
              data-testid="studio-memory"
              data-tensors={memory.numTensors}
              data-bytes={memory.numBytes}
            >
              {memory.numTensors} tensors, {(memory.numBytes / 1024).toFixed(0)} KiB
            </span>
          )}
        </div>
        <ModelPicker />
        {info && <ModelInfoPanel info={info} />}
      </div>
      <div className="studio-main">
        <DropZone />
        {errors.length > 0 && (
          <div className="studio-errors" data-testid="studio-input-errors">
            {errors.map((e, i) => (
              <div key={i} className="studio-error" data-testid="studio-input-error">
                {e}
              </div>
            ))}
            <button onClick={() => setStudio({ inputErrors: [] })}>Clear messages</button>
          </div>
        )}
        {warnings.length > 0 && (
          <div className="studio-errors" data-testid="studio-warnings">
            {warnings.map((w, i) => (
              <div key={i} className="studio-error" data-testid="studio-warning">
                {w}
              </div>
            ))}
            <button onClick={() => setStudio({ warnings: [] })}>Clear warnings</button>
          </div>
        )}
        <div className="studio-jobs">
          {jobs.map((j) => (
            <JobCard key={j.id} job={j} />
          ))}
        </div>
        <TrainPanel />
      </div>
    </div>
  );
}
