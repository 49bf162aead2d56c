import { useStore } from '../../state/search/store';
import { setConfig } from '../../state/search/controller';
import { SEARCH_PRESET_NAMES, SEARCH_PRESETS, presetOf } from '../../core/search/presets';

/**
 * Which preset the settings are (demo, standard, paper or custom), one click to switch, and in
 * words what differs from the paper and why (issue 10: the page says so, it does not hide it).
 */
export function PresetPanel() {
  const config = useStore((s) => s.config);
  const status = useStore((s) => s.status);
  const locked = status === 'running' || status === 'paused' || status === 'starting';
  const name = presetOf(config);
  const shown = SEARCH_PRESETS[name ?? 'demo'];
  return (
    <section className="panel presets-panel" aria-label="search preset">
      <h2>
        Preset:{' '}
        <span data-testid="preset-name">{name ? SEARCH_PRESETS[name].label : 'custom'}</span>
      </h2>
      <div className="presets" role="group" aria-label="search presets">
        {SEARCH_PRESET_NAMES.map((n) => (
          <button
            key={n}
            type="button"
            data-testid={`preset-${n}`}
            aria-pressed={name === n}
            disabled={locked}
            title={SEARCH_PRESETS[n].summary}
            onClick={() =>
              setConfig({ ...SEARCH_PRESETS[n].config, seed: config.seed, scale: config.scale })
            }
          >
            {SEARCH_PRESETS[n].label}
          </button>
        ))}
      </div>
      <p className="small">{name ? shown.summary : 'Edited settings (not a preset).'}</p>
      <details data-testid="preset-why">
        <summary>
          {name === 'paper' ? 'About the paper preset' : 'Why these differ from the paper'}
        </summary>
        <p className="small">{name ? shown.why : SEARCH_PRESETS.standard.why}</p>
      </details>
    </section>
  );
}
