import type { Counts } from './count';
import { PAPER_METHOD_LABEL, PAPER_TABLE2, PAPER_TABLE3, type PaperMethod } from './paperTables';

/** One evaluated model: its scores (from `srbnas eval --json`) and what it is. */
export interface ReportEntry {
  /** Column name (model folder name, or 'bicubic'). */
  name: string;
  /** The paper column it corresponds to (by architecture), if any. */
  method: PaperMethod | null;
  /** Description (architecture, training) for the legend. */
  description: string;
  counts?: Counts;
  /** PSNR/SSIM per `${set}:${scale}`. */
  scores: Map<string, { psnr: number; ssim: number }>;
}

const SETS = ['Set5', 'Set14', 'BSD100'];

/** A model name without its scale suffix: "espcn-x3" and "espcn-x4" are one run recipe. */
const stem = (name: string) => name.replace(/[-_]?x[234]$/, '');

const fmt = (p: number | undefined, s: number | null | undefined, digits = 4) =>
  p === undefined
    ? '–'
    : `${p.toFixed(2)}/${s === null || s === undefined ? '–' : s.toFixed(digits)}`;

/** One "ours" column of Table 2: models of one method whose (set, scale) cells do not overlap. */
interface Column {
  method: PaperMethod | null;
  entries: ReportEntry[];
}

/**
 * Models of one recipe trained per scale (same method and same name but for an -x3/-x4 suffix)
 * share one column, as in the paper, where a method is one column across scales; other models
 * (another recipe, or one covering the same cell) keep their own column so no figure is hidden.
 */
export function groupColumns(entries: ReportEntry[]): Column[] {
  const columns: Column[] = [];
  for (const e of entries) {
    const fits = (c: Column) =>
      e.method !== null &&
      c.method === e.method &&
      stem(c.entries[0].name) === stem(e.name) &&
      c.entries.every((o) => [...e.scores.keys()].every((k) => !o.scores.has(k)));
    const col = columns.find(fits);
    if (col) col.entries.push(e);
    else columns.push({ method: e.method, entries: [e] });
  }
  return columns;
}

/**
 * Table 2 layout: rows dataset × scale, one column per method (or per model where a method has
 * several models for the same cell) with the paper's figure for the same method beside it (paper
 * SSIM has 2 digits, ours 4).
 */
export function table2(entries: ReportEntry[]): string {
  const scales = [
    ...new Set(entries.flatMap((e) => [...e.scores.keys()].map((k) => Number(k.split(':')[1])))),
  ].sort();
  const sets = [
    ...SETS,
    ...new Set(entries.flatMap((e) => [...e.scores.keys()].map((k) => k.split(':')[0]))),
  ].filter((s, i, a) => a.indexOf(s) === i);
  const columns = groupColumns(entries);
  const head = ['Dataset', 'Scale'];
  for (const c of columns) {
    const name = c.entries.length === 1 ? c.entries[0].name : stem(c.entries[0].name);
    head.push(`${name} (ours)`);
    if (c.method) head.push(`${PAPER_METHOD_LABEL[c.method]} (paper)`);
  }
  const rows: string[][] = [];
  for (const scale of scales)
    for (const set of sets) {
      const key = `${set}:${scale}`;
      if (!entries.some((e) => e.scores.has(key))) continue;
      const row = [set, `×${scale}`];
      for (const c of columns) {
        const s = c.entries.find((e) => e.scores.has(key))?.scores.get(key);
        row.push(fmt(s?.psnr, s?.ssim));
        if (c.method) {
          const p = PAPER_TABLE2[set]?.[scale]?.[c.method];
          row.push(p ? fmt(p[0], p[1], 2) : '–');
        }
      }
      rows.push(row);
    }
  return markdownTable(head, rows);
}

/** Table 3 layout: parameters per model (ours split binary / FP, with size), paper beside. */
export function table3(entries: ReportEntry[]): string {
  const head = [
    'Model',
    'Params (ours)',
    'binary',
    'FP',
    'size (1-bit packed)',
    'BOPs/px',
    'FLOPs/px',
    'Params (paper, ×3)',
  ];
  const rows = entries
    .filter((e) => e.counts)
    .map((e) => {
      const c = e.counts!;
      const paper = PAPER_TABLE3.find((p) => p.method !== null && p.method === e.method);
      return [
        e.name,
        `${(c.params / 1000).toFixed(1)} K`,
        `${(c.binaryParams / 1000).toFixed(1)} K`,
        `${(c.fpParams / 1000).toFixed(1)} K`,
        `${(c.sizeBytes / 1024).toFixed(1)} KiB`,
        c.bopsPerPixel.toFixed(0),
        c.flopsPerPixel.toFixed(0),
        paper ? `${paper.params} (${paper.model})` : '–',
      ];
    });
  return markdownTable(head, rows);
}

export function markdownTable(head: string[], rows: string[][]): string {
  const line = (r: string[]) => `| ${r.join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n');
}
