import { useState } from 'react';
import { encodeImageBlob } from '../../browser/image/decodeBrowser';
import { cancelJob, removeJob } from '../../state/studio/studioController';
import type { Job } from '../../state/studio/studioStore';
import { CompareView } from './CompareView';

async function download(job: Job) {
  if (!job.result) return;
  const blob = await encodeImageBlob(job.result, 'image/png');
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = `${job.name.replace(/\.[^.]*$/, '')}_x${job.result.width / job.input.width}_${job.model.replace(/[^a-z0-9-]+/gi, '_')}.png`;
  if (job.mode === 'evaluate') a.download = `${job.name.replace(/\.[^.]*$/, '')}_eval.png`;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}

/** One upscale job: progress and cancel while running, then the comparison and download. */
export function JobCard({ job }: { job: Job }) {
  const [show, setShow] = useState(true);
  const busy = job.status === 'queued' || job.status === 'running';
  return (
    <div
      className="studio-job"
      data-testid="studio-job"
      data-status={job.status}
      data-name={job.name}
      data-seconds={job.seconds ?? ''}
    >
      <div className="studio-job-head">
        <b>{job.name}</b> {job.input.width}×{job.input.height}
        {job.result && (
          <span data-testid="job-out-size">
            {' '}
            → {job.result.width}×{job.result.height}
          </span>
        )}{' '}
        <span className="muted">
          {job.model} {job.mode === 'evaluate' ? '(evaluate)' : ''}
        </span>{' '}
        {busy && (
          <>
            <progress max={job.total || 1} value={job.done} data-testid="job-progress" />{' '}
            {job.total ? `${job.done}/${job.total} tiles` : 'waiting'}{' '}
            <button onClick={() => cancelJob(job.id)} data-testid="job-cancel">
              Cancel
            </button>
          </>
        )}
        {job.status === 'done' && (
          <>
            {job.seconds !== undefined && (
              <span className="muted">{job.seconds.toFixed(2)} s </span>
            )}
            <button onClick={() => void download(job)} data-testid="job-download">
              Download PNG
            </button>{' '}
            <button onClick={() => setShow(!show)}>{show ? 'Hide' : 'Show'}</button>
          </>
        )}{' '}
        <button onClick={() => removeJob(job.id)} data-testid="job-remove">
          Remove
        </button>
      </div>
      {job.notes.map((n) => (
        <div key={n} className="studio-note" data-testid="job-note">
          {n}
        </div>
      ))}
      {(job.status === 'error' || job.status === 'cancelled') && (
        <div className="studio-error" data-testid="job-message">
          {job.message}
        </div>
      )}
      {job.scores && (
        <table className="studio-scores" data-testid="job-scores">
          <tbody>
            <tr>
              <th />
              <th>PSNR (Y)</th>
              <th>SSIM (Y)</th>
            </tr>
            <tr>
              <td>ours</td>
              <td>{job.scores.ours.psnr.toFixed(2)} dB</td>
              <td>{job.scores.ours.ssim.toFixed(4)}</td>
            </tr>
            <tr>
              <td>bicubic</td>
              <td>{job.scores.bicubic.psnr.toFixed(2)} dB</td>
              <td>{job.scores.bicubic.ssim.toFixed(4)}</td>
            </tr>
          </tbody>
        </table>
      )}
      {job.status === 'done' && show && job.result && job.bicubic && (
        <CompareView ours={job.result} bicubic={job.bicubic} />
      )}
    </div>
  );
}
