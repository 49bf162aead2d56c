import { useState } from 'react';
import { useStore } from '../../state/search/store';
import { setConfig } from '../../state/search/controller';
import { MU_RHO_PRESETS, PAGE_PARAMS, configProblems } from '../../state/search/configSpec';
import {
  LIVE_KEYS,
  coerceParam,
  type ChoiceParam,
  type NumberParam,
  type SearchParam,
} from '../../core/search/params';

/** The control's tooltip: what the paper calls it and what it does (the settings table). */
const tooltip = (p: SearchParam) => `${p.paper}: ${p.help}`;

function NumberField({ spec, disabled }: { spec: NumberParam; disabled: boolean }) {
  const value = useStore((s) => s.config[spec.key]) as number;
  const id = `cfg-${spec.key}`;
  const onChange = (raw: string) => {
    const v = coerceParam(spec, Number(raw));
    if (v !== undefined && raw.trim() !== '') setConfig({ [spec.key]: v });
  };
  if (spec.live)
    return (
      <div className="field live">
        <label htmlFor={id} title={tooltip(spec)}>
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
function TypedNumber(props: { spec: NumberParam; value: number; id: string; disabled: boolean }) {
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
      <label htmlFor={id} title={tooltip(spec)}>
        {spec.label}
      </label>
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
          if (raw.trim() !== '' && coerceParam(spec, v) === v) setConfig({ [spec.key]: v });
        }}
        onBlur={() => setDraft(null)}
      />
    </div>
  );
}

/** A select over a choice row (scale, L1 target). */
function ChoiceField({ spec, disabled }: { spec: ChoiceParam; disabled: boolean }) {
  const value = useStore((s) => s.config[spec.key]);
  const id = `cfg-${spec.key}`;
  return (
    <div className="field">
      <label htmlFor={id} title={tooltip(spec)}>
        {spec.label}
      </label>
      <select
        id={id}
        data-testid={`select-${spec.key}`}
        value={String(value)}
        disabled={disabled}
        onChange={(e) => {
          const v = spec.choices.find((c) => String(c) === e.target.value);
          if (v !== undefined) setConfig({ [spec.key]: v });
        }}
      >
        {spec.choices.map((c, i) => (
          <option key={String(c)} value={String(c)}>
            {spec.choiceLabels[i]}
          </option>
        ))}
      </select>
    </div>
  );
}

function Field({ spec, disabled }: { spec: SearchParam; disabled: boolean }) {
  return spec.type === 'choice' ? (
    <ChoiceField spec={spec} disabled={disabled} />
  ) : (
    <NumberField spec={spec} disabled={disabled} />
  );
}

/**
 * All search settings, from the settings table (src/core/search/params.ts): the live rows stay
 * movable during a run, the others lock.
 */
export function Controls() {
  const status = useStore((s) => s.status);
  const config = useStore((s) => s.config);
  const locked = status === 'running' || status === 'paused' || status === 'starting';
  const problems = configProblems(config);
  const live = PAGE_PARAMS.filter((s) => s.live);
  const lockedChoices = PAGE_PARAMS.filter((s) => !s.live && s.type === 'choice');
  const lockedNumbers = PAGE_PARAMS.filter((s) => !s.live && s.type === 'number');
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
      {live.map((s) => (
        <Field key={s.key} spec={s} disabled={false} />
      ))}
      <p className="muted small">
        Live: {LIVE_KEYS.join(', ')} reach the running search at its next step.
      </p>
      <h2>Search {locked && <small>(locked while a run exists — reset to edit)</small>}</h2>
      {lockedChoices.map((s) => (
        <Field key={s.key} spec={s} disabled={locked} />
      ))}
      <div className="grid2">
        {lockedNumbers.map((s) => (
          <Field key={s.key} spec={s} disabled={locked} />
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
