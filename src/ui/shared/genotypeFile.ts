import {
  searchGenotypeJSON,
  validateGenotypeJSON,
  type GenotypeJSON,
} from '../../core/search/genotype';
import type { RunRecord } from '../../state/search/runRecord';

/** The export of a run: its last derived genotype plus the search metadata (docs/design.md §2). */
export function runGenotypeJSON(r: RunRecord): GenotypeJSON | null {
  if (!r.last) return null;
  return searchGenotypeJSON(r.config, r.last, { backend: r.backend, seconds: r.seconds });
}

export function downloadJSON(obj: unknown, filename: string) {
  const blob = new Blob([JSON.stringify(obj, null, 2)], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Parse + validate an imported file; the error names the offending field. */
export async function readGenotypeFile(
  f: File,
): Promise<{ ok: true; value: GenotypeJSON } | { ok: false; message: string }> {
  if (f.size > 5_000_000)
    return { ok: false, message: `${f.name}: ${f.size} bytes is too large for a genotype` };
  let parsed: unknown;
  try {
    parsed = JSON.parse(await f.text());
  } catch (e) {
    return {
      ok: false,
      message: `${f.name}: not valid JSON (${e instanceof Error ? e.message : String(e)})`,
    };
  }
  const v = validateGenotypeJSON(parsed);
  if (v.ok) return v;
  return { ok: false, message: `${f.name}: field "${v.field}" — ${v.message}` };
}
