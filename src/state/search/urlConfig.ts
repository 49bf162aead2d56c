import type { SearchConfig } from '../../core/search/types';
import {
  SEARCH_PRESET_NAMES,
  SEARCH_PRESETS,
  type SearchPresetName,
} from '../../core/search/presets';
import { coerceParam } from '../../core/search/params';
import { BROWSER_DEFAULT_CONFIG, PAGE_PARAMS } from './configSpec';
import { BACKEND_PREFS, type BackendPref } from '../shared/backendPref';

/**
 * The search config lives in the URL query (as in TensorFlow Playground) so a link reproduces
 * a run. Only settings that differ from the page defaults are written, which keeps links short
 * and lets the defaults improve without breaking old links. The parameters are the settings
 * table's page rows (src/core/search/params.ts), named by their config keys.
 */
export function configToQuery(c: SearchConfig, base?: SearchConfig): string {
  const q = new URLSearchParams();
  if (!base) {
    // Diffs from the nearest preset, named when it is not the page default (short links).
    const name = nearestPreset(c);
    base = SEARCH_PRESETS[name].config;
    if (base !== BROWSER_DEFAULT_CONFIG) q.set('preset', name);
  }
  for (const p of PAGE_PARAMS) if (c[p.key] !== base[p.key]) q.set(p.key, String(c[p.key]));
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

/**
 * The preset from which `c` differs in the fewest page settings other than the scale (ties:
 * the page default first).
 */
export function nearestPreset(c: SearchConfig): SearchPresetName {
  const diffs = (name: SearchPresetName) => {
    const p = SEARCH_PRESETS[name].config;
    return PAGE_PARAMS.filter((s) => s.key !== 'scale' && c[s.key] !== p[s.key]).length;
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
  const config: Record<string, unknown> = { ...base };
  const known = new Set<string>(['preset', 'backend', ...PAGE_PARAMS.map((s) => s.key)]);
  let backend: BackendPref = 'auto';
  const b = q.get('backend');
  if (b !== null) {
    if ((BACKEND_PREFS as readonly string[]).includes(b)) backend = b as BackendPref;
    else warnings.push(`backend "${b}" is not one of ${BACKEND_PREFS.join(', ')}`);
  }
  for (const key of q.keys()) if (!known.has(key)) warnings.push(`unknown URL parameter "${key}"`);
  for (const s of PAGE_PARAMS) {
    const raw = q.get(s.key);
    if (raw === null) continue;
    if (s.type === 'choice') {
      const v = s.choices.find((c) => String(c) === raw);
      if (v !== undefined) config[s.key] = v;
      else warnings.push(`${s.key} "${raw}" is not one of ${s.choices.join(', ')}`);
      continue;
    }
    const n = raw.trim() === '' ? NaN : Number(raw);
    const v = coerceParam(s, n);
    if (v === undefined) warnings.push(`${s.key} "${raw}" is not a number`);
    else {
      if (v !== n) warnings.push(`${s.key} ${raw} adjusted to ${v} (range ${s.min}..${s.max})`);
      config[s.key] = v;
    }
  }
  return { config: config as unknown as SearchConfig, warnings, backend };
}
