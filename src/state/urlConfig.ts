import type { L1Target, SearchConfig } from '../core/search/types';
import { SEARCH_PRESET_NAMES, SEARCH_PRESETS, type SearchPresetName } from '../core/search/presets';
import {
  BACKEND_PREFS,
  BROWSER_DEFAULT_CONFIG,
  type BackendPref,
  L1_TARGETS,
  NUMERIC_SPECS,
  SCALES,
  coerceNumeric,
} from './configSpec';

/**
 * The search config lives in the URL query (as in TensorFlow Playground) so a link reproduces
 * a run. Only settings that differ from the page defaults are written, which keeps links short
 * and lets the defaults improve without breaking old links.
 */
export function configToQuery(c: SearchConfig, base?: SearchConfig): string {
  const q = new URLSearchParams();
  if (!base) {
    // Diffs from the nearest preset, named when it is not the page default (short links).
    const name = nearestPreset(c);
    base = SEARCH_PRESETS[name].config;
    if (base !== BROWSER_DEFAULT_CONFIG) q.set('preset', name);
  }
  if (c.scale !== base.scale) q.set('scale', String(c.scale));
  for (const s of NUMERIC_SPECS) if (c[s.key] !== base[s.key]) q.set(s.key, String(c[s.key]));
  if (c.l1Target !== base.l1Target) q.set('l1Target', c.l1Target);
  return q.toString();
}

export interface ParsedQuery {
  config: SearchConfig;
  /** Parameters that were ignored or clamped, named, for the run log. */
  warnings: string[];
  /** Page option `backend` (not part of the search config). */
  backend: BackendPref;
}

/** The whole page query: the config plus the backend preference (omitted when 'auto'). */
export function pageQuery(c: SearchConfig, backend: BackendPref): string {
  const q = configToQuery(c);
  if (backend === 'auto') return q;
  return q ? `${q}&backend=${backend}` : `backend=${backend}`;
}

/** The preset from which `c` differs in the fewest settings (ties: the page default first). */
export function nearestPreset(c: SearchConfig): SearchPresetName {
  const diffs = (name: SearchPresetName) => {
    const p = SEARCH_PRESETS[name].config;
    return NUMERIC_SPECS.filter((s) => c[s.key] !== p[s.key]).length + +(c.l1Target !== p.l1Target);
  };
  return SEARCH_PRESET_NAMES.reduce((best, n) => (diffs(n) < diffs(best) ? n : best));
}

/** Reads a config from a query string; bad values are dropped or clamped, never thrown. */
export function configFromQuery(query: string, base?: SearchConfig): ParsedQuery {
  const q = new URLSearchParams(query);
  const warnings: string[] = [];
  if (!base) {
    const p = q.get('preset');
    if (p !== null && !(SEARCH_PRESET_NAMES as string[]).includes(p))
      warnings.push(`preset "${p}" is not one of ${SEARCH_PRESET_NAMES.join(', ')}`);
    base =
      p !== null && (SEARCH_PRESET_NAMES as string[]).includes(p)
        ? SEARCH_PRESETS[p as SearchPresetName].config
        : BROWSER_DEFAULT_CONFIG;
  }
  const config: SearchConfig = { ...base };
  const known = new Set<string>([
    'preset',
    'scale',
    'l1Target',
    'backend',
    ...NUMERIC_SPECS.map((s) => s.key),
  ]);
  let backend: BackendPref = 'auto';
  const b = q.get('backend');
  if (b !== null) {
    if ((BACKEND_PREFS as readonly string[]).includes(b)) backend = b as BackendPref;
    else warnings.push(`backend "${b}" is not one of ${BACKEND_PREFS.join(', ')}`);
  }
  for (const key of q.keys()) if (!known.has(key)) warnings.push(`unknown URL parameter "${key}"`);
  const scale = q.get('scale');
  if (scale !== null) {
    const n = Number(scale);
    if ((SCALES as readonly number[]).includes(n)) config.scale = n as 2 | 3 | 4;
    else warnings.push(`scale "${scale}" is not one of ${SCALES.join(', ')}`);
  }
  const l1 = q.get('l1Target');
  if (l1 !== null) {
    if ((L1_TARGETS as string[]).includes(l1)) config.l1Target = l1 as L1Target;
    else warnings.push(`l1Target "${l1}" is not one of ${L1_TARGETS.join(', ')}`);
  }
  for (const s of NUMERIC_SPECS) {
    const raw = q.get(s.key);
    if (raw === null) continue;
    const n = raw.trim() === '' ? NaN : Number(raw);
    const v = coerceNumeric(s, n);
    if (v === undefined) warnings.push(`${s.key} "${raw}" is not a number`);
    else {
      if (v !== n) warnings.push(`${s.key} ${raw} adjusted to ${v} (range ${s.min}..${s.max})`);
      config[s.key] = v;
    }
  }
  return { config, warnings, backend };
}
