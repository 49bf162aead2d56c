import { useState } from 'react';
import { useStore } from '../state/store';
import { setConfig } from '../state/controller';
import {
  L1_TARGETS,
  MU_RHO_PRESETS,
  NUMERIC_SPECS,
  SCALES,
  UI_LIVE_KEYS,
  coerceNumeric,
  configProblems,
  type NumericSpec,
} from '../state/configSpec';
import type { L1Target } from '../core/search/types';

function NumberField({ spec, disabled }: { spec: NumericSpec; disabled: boolean }) {
  const value = useStore((s) => s.config[spec.key]);
  const id = `cfg-${spec.key}`;
  const onChange = (raw: string) => {
    const v = coerceNumeric(spec, Number(raw));
    if (v !== undefined && raw.trim() !== '') setConfig({ [spec.key]: v });
  };
  if (spec.live)
    return (
      <div className="field live">
        <label htmlFor={id}>
          {spec.label} <output data-testid={`value-${spec.key}`}>{value}</output>
        </label>
        <input
          id={id}
          data-testid={`slider-${spec.key}`}
          type="range"
          min={spec.min}
          max={spec.max}
          step={spec.step}
          value={value}
          onChange={(e) => onChange(e.target.value)}
        />
      </div>
    );
  return <TypedNumber spec={spec} value={value} id={id} disabled={disabled} />;
}

/**
 * A number box that keeps what the user types until it is a valid value (so typing "16" does
 * not get clamped at "1"); out-of-range text is flagged and restored on blur.
 */
function TypedNumber(props: { spec: NumericSpec; value: number; id: string; disabled: boolean }) {
  const { spec, value, id, disabled } = props;
  const [draft, setDraft] = useState<string | null>(null);
  const text = draft ?? String(value);
  const n = Number(text);
  const valid =
    text.trim() !== '' &&
    Number.isFinite(n) &&
    n >= spec.min &&
    n <= spec.max &&
    (!spec.integer || Number.isInteger(n));
  return (
    <div className="field">
      <label htmlFor={id}>{spec.label}</label>
      <input
        id={id}
        data-testid={`input-${spec.key}`}
        type="number"
        min={spec.min}
        max={spec.max}
        step={spec.step}
        value={text}
        disabled={disabled}
        aria-invalid={!valid}
        title={
          valid ? undefined : `${spec.min}..${spec.max}${spec.integer ? ', whole numbers' : ''}`
        }
        onChange={(e) => {
          const raw = e.target.value;
          setDraft(raw);
          const v = Number(raw);
          if (raw.trim() !== '' && coerceNumeric(spec, v) === v) setConfig({ [spec.key]: v });
        }}
        onBlur={() => setDraft(null)}
      />
    </div>
  );
}

/** All search settings; structural ones lock during a run, μ/ρ/λ/γ and the L1 target stay live. */
export function Controls() {
  const status = useStore((s) => s.status);
  const config = useStore((s) => s.config);
  const locked = status === 'running' || status === 'paused' || status === 'starting';
  const problems = configProblems(config);
  const liveSpecs = NUMERIC_SPECS.filter((s) => s.live);
  const otherSpecs = NUMERIC_SPECS.filter((s) => !s.live);
  return (
    <section className="panel controls" aria-label="search settings">
      <h2>Regularisers (live during a run)</h2>
      <div className="presets" role="group" aria-label="paper presets for μ and ρ">
        {MU_RHO_PRESETS.map((p) => (
          <button
            key={p.label}
            type="button"
            aria-pressed={config.mu === p.mu && config.rho === p.rho}
            onClick={() => setConfig({ mu: p.mu, rho: p.rho })}
          >
            {p.label}
          </button>
        ))}
      </div>
      {liveSpecs.map((s) => (
        <NumberField key={s.key} spec={s} disabled={false} />
      ))}
      <div className="field">
        <label htmlFor="cfg-l1Target">L1 target of the μ term</label>
        <select
          id="cfg-l1Target"
          data-testid="select-l1Target"
          value={config.l1Target}
          onChange={(e) => setConfig({ l1Target: e.target.value as L1Target })}
        >
          {L1_TARGETS.map((t) => (
            <option key={t} value={t}>
              {t === 'softmax' ? 'softmax p (paper, literal: no gradient)' : 'logits α (μ acts)'}
            </option>
          ))}
        </select>
      </div>
      <p className="muted small">
        Live: {UI_LIVE_KEYS.join(', ')} reach the running search at its next step.
      </p>
      <h2>Search {locked && <small>(locked while a run exists — reset to edit)</small>}</h2>
      <div className="field">
        <label htmlFor="cfg-scale">scale</label>
        <select
          id="cfg-scale"
          data-testid="select-scale"
          value={config.scale}
          disabled={locked}
          onChange={(e) => setConfig({ scale: Number(e.target.value) as 2 | 3 | 4 })}
        >
          {SCALES.map((s) => (
            <option key={s} value={s}>
              x{s}
            </option>
          ))}
        </select>
      </div>
      <div className="grid2">
        {otherSpecs.map((s) => (
          <NumberField key={s.key} spec={s} disabled={locked} />
        ))}
      </div>
      {problems.length > 0 && (
        <ul className="problems" role="alert" data-testid="config-problems">
          {problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      )}
    </section>
  );
}
