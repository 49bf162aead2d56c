import { useState } from 'react';
import type { GenotypeJSON } from '../../core/search/genotype';
import { DEFAULT_TRAIN_CONFIG } from '../../core/train/config';
import {
  exportTraining,
  pauseTraining,
  resumeTraining,
  startTraining,
  stopTraining,
} from '../../state/studio/studioController';
import { useStore } from '../../state/search/store';
import { useStudio } from '../../state/studio/studioStore';
import { readGenotypeFile, runGenotypeJSON } from '../shared/genotypeFile';
import { Curve } from './Curve';
import { downloadModel } from './modelFiles';

/** Tiny defaults: a few seconds a step on SwiftShader; raise them on a real GPU. */
const DEFAULTS = {
  cells: 1,
  channels: 8,
  groups: 1,
  epochs: 3,
  stepsPerEpoch: 4,
  batch: 2,
  patch: 12,
  lr: 1e-3,
  seed: 1,
};
type Field = keyof typeof DEFAULTS;

/** Train the evaluation network of a genotype in the page, with live curves. */
export function TrainPanel() {
  const train = useStudio((s) => s.train);
  const current = useStore((s) => s.current);
  const fromSearch = current ? runGenotypeJSON(current) : null;
  const [imported, setImported] = useState<{ name: string; g: GenotypeJSON } | null>(null);
  const [err, setErr] = useState<string | null>(null);
  const [f, setF] = useState(DEFAULTS);
  const genotype = imported?.g ?? fromSearch;
  const busy = train?.status === 'running' || train?.status === 'starting';
  const num = (k: Field, step = 1) => (
    <label key={k}>
      {k}
      <input
        type="number"
        step={step}
        value={f[k]}
        data-testid={`train-${k}`}
        onChange={(e) => setF({ ...f, [k]: Number(e.target.value) })}
      />
    </label>
  );
  const start = () => {
    if (!genotype) return;
    const scale = genotype.scale;
    void startTraining(
      `studio-${genotype.scale}x-c${f.channels}-${Date.now().toString(36)}`,
      genotype,
      {
        scale,
        cells: f.cells,
        channels: f.channels,
        groups: f.groups,
        valImages: 1,
        config: {
          ...DEFAULT_TRAIN_CONFIG,
          epochs: f.epochs,
          stepsPerEpoch: f.stepsPerEpoch,
          batch: f.batch,
          patch: f.patch,
          lr: f.lr,
          seed: f.seed,
        },
      },
    );
  };
  return (
    <section className="studio-train" data-testid="studio-train">
      <h3>Train in the page</h3>
      <div>
        Genotype:{' '}
        {imported ? (
          <b>{imported.name}</b>
        ) : fromSearch ? (
          <b>current search (x{fromSearch.scale})</b>
        ) : (
          <i>none yet — run a search or import a genotype JSON</i>
        )}{' '}
        <label className="button-like">
          Import genotype…
          <input
            type="file"
            accept=".json,application/json"
            hidden
            data-testid="train-genotype"
            onChange={async (e) => {
              const file = e.target.files?.[0];
              e.target.value = '';
              if (!file) return;
              const v = await readGenotypeFile(file);
              if (v.ok) {
                setImported({ name: file.name, g: v.value });
                setErr(null);
              } else setErr(v.message);
            }}
          />
        </label>
        {err && (
          <div className="studio-error" data-testid="train-genotype-error">
            {err}
          </div>
        )}
      </div>
      <div className="studio-train-fields">
        {(
          ['cells', 'channels', 'groups', 'epochs', 'stepsPerEpoch', 'batch', 'patch'] as Field[]
        ).map((k) => num(k))}
        {num('lr', 0.0001)}
      </div>
      <div className="studio-train-buttons">
        <button disabled={!genotype || busy} onClick={start} data-testid="train-start">
          Train
        </button>
        <button
          disabled={train?.status !== 'running'}
          onClick={pauseTraining}
          data-testid="train-pause"
        >
          Pause
        </button>
        <button
          disabled={train?.status !== 'paused'}
          onClick={() => void resumeTraining()}
          data-testid="train-resume"
        >
          Resume
        </button>
        <button
          disabled={!train || train.status === 'done' || train.status === 'starting'}
          onClick={stopTraining}
          data-testid="train-stop"
        >
          Stop &amp; keep model
        </button>
        <button
          disabled={!train || train.status === 'done' || train.loss.length === 0}
          onClick={exportTraining}
          data-testid="train-snapshot"
        >
          Snapshot model
        </button>
        <button
          disabled={!train?.model}
          onClick={() => train?.model && downloadModel(train.model)}
          data-testid="train-download"
        >
          Export model.json + weights.bin
        </button>
      </div>
      {train && (
        <div data-testid="train-status" data-status={train.status} data-step={train.step}>
          {train.status} — step <span data-testid="train-step">{train.step}</span>/
          {train.totalSteps}
          {train.checkpointStep !== undefined && (
            <span className="muted">
              {' '}
              (checkpoint in this browser at step {train.checkpointStep})
            </span>
          )}
          {train.message && <div className="studio-note">{train.message}</div>}
        </div>
      )}
      {train && (
        <div className="studio-curves">
          <Curve
            title="training L1 loss"
            testId="curve-loss"
            series={[{ label: 'L1', colour: '#1f77b4', points: train.loss }]}
          />
          <Curve
            title="validation PSNR (Y, dB), same images"
            testId="curve-val"
            series={[
              { label: 'ours', colour: '#d62728', points: train.val },
              ...(train.valBicubic !== null
                ? [
                    {
                      label: 'bicubic',
                      colour: '#777',
                      dashed: true,
                      points: [
                        [0, train.valBicubic],
                        [Math.max(1, train.val.length), train.valBicubic],
                      ] as [number, number][],
                    },
                  ]
                : []),
            ]}
          />
        </div>
      )}
    </section>
  );
}
