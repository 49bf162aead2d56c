/** `srbnas report`: the paper's Tables 2 and 3 from saved `srbnas eval --json` results. */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describeArch } from '../core/model/config';
import type { ModelJSON } from '../core/model/format';
import type { PaperMethod } from '../core/model/paperTables';
import { table2, table3, type ReportEntry } from '../core/model/reportTables';
import { helpText, parseArgs, UsageError, type CommandSpec } from './args';
import { isModelPath, modelJsonPath } from './modelFiles';
import { writeOutput } from './io';
import {
  searchVsRandomTable,
  table4Markdown,
  type SearchVsRandomJSON,
  type Table4JSON,
} from '../core/search/nasTables';

const spec = {
  name: 'report',
  summary: "Markdown tables in the layout of the paper's Table 2 (PSNR/SSIM) and Table 3 (params).",
  usage: 'srbnas report --results <dir with eval JSON> [-o report.md]',
  flags: {
    results: {
      type: 'string',
      required: true,
      metavar: 'DIR',
      help: 'folder of `srbnas eval --json` files',
    },
    output: { type: 'string', alias: 'o', metavar: 'FILE', help: 'also write the Markdown here' },
  },
  epilog:
    'Each JSON names its model; a trained model folder that still exists adds its architecture\n' +
    "and counts (Table 3). The paper's figures are printed beside ours for the same method.",
} satisfies CommandSpec;

interface EvalJSON {
  model: string;
  results: { set: string; scale: number; psnr: number; ssim: number; count: number }[];
}

function isEvalJSON(x: unknown): x is EvalJSON {
  const o = x as EvalJSON;
  return typeof o?.model === 'string' && Array.isArray(o.results);
}

async function entryFor(file: string, ev: EvalJSON): Promise<ReportEntry> {
  const scores = new Map(
    ev.results.map((r) => [`${r.set}:${r.scale}`, { psnr: r.psnr, ssim: r.ssim }]),
  );
  if (ev.model === 'bicubic')
    return { name: 'bicubic', method: 'bicubic', description: 'MATLAB-style bicubic', scores };
  // Model paths in eval JSON are relative to where eval ran; try that and the JSON's folder.
  const candidates = [ev.model, path.resolve(path.dirname(file), ev.model)];
  const found = candidates.find((c) => isModelPath(c));
  if (!found)
    return {
      name: path.basename(ev.model),
      method: null,
      description: `${ev.model} (model files not found)`,
      scores,
    };
  const json = JSON.parse(await readFile(modelJsonPath(found), 'utf8')) as ModelJSON;
  const t = json.training;
  const trained = t
    ? `; trained ${t.epochsDone}/${t.epochs} epochs × ${t.stepsPerEpoch} steps, batch ${t.batch}, patch ${t.patch}, ${(t.seconds / 60).toFixed(0)} min on ${t.backend}`
    : '';
  return {
    name: json.name,
    method: json.architecture.arch as PaperMethod,
    description: describeArch(json.architecture) + trained,
    counts: json.counts,
    scores,
  };
}

export async function runReport(argv: string[]): Promise<number> {
  const args = parseArgs(argv, spec);
  if (args.help) {
    console.log(helpText(spec));
    return 0;
  }
  const dir = args.flags.results;
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith('.json')).sort();
  } catch {
    throw new UsageError(`--results: cannot read folder ${dir}`);
  }
  const entries: ReportEntry[] = [];
  const extra: string[] = [];
  for (const n of names) {
    const file = path.join(dir, n);
    let x: unknown;
    try {
      x = JSON.parse(await readFile(file, 'utf8'));
    } catch (e) {
      throw new Error(`${file}: not JSON (${e instanceof Error ? e.message : e})`);
    }
    const kind = (x as { format?: unknown })?.format;
    if (isEvalJSON(x)) entries.push(await entryFor(file, x));
    else if (kind === 'srbnas-search-vs-random')
      extra.push(
        `## Searched vs random cells (the NAS sanity check; proxy of ${(x as SearchVsRandomJSON).proxy.steps} steps)`,
        '',
        searchVsRandomTable(x as SearchVsRandomJSON),
        '',
      );
    else if (kind === 'srbnas-table4')
      extra.push(
        '## Table 4: the regulariser balance (μ, ρ) and the L1 target',
        '',
        table4Markdown(x as Table4JSON),
        '',
      );
    else console.error(`skipping ${file}: not an eval result`);
  }
  if (entries.length === 0)
    throw new Error(`${dir}: no eval JSON files (write them with srbnas eval --json)`);
  // Bicubic first, then the paper's column order.
  const order: (PaperMethod | null)[] = [
    'bicubic',
    'espcn',
    'srresnet-bnn',
    'vdsr-bnn',
    'srbnas',
    null,
  ];
  entries.sort((a, b) => order.indexOf(a.method) - order.indexOf(b.method));
  const md = [
    '## Table 2: mean PSNR (dB) / SSIM, Y channel (BT.601), border = scale',
    '',
    table2(entries),
    '',
    '## Table 3: parameters (counts from the architecture; size with binary weights at 1 bit)',
    '',
    table3(entries),
    '',
    '### Models',
    '',
    ...entries.map((e) => `- **${e.name}**: ${e.description}`),
    '',
    ...extra,
    'Paper figures: Su et al., Biomimetics 2024, 9, 369, Tables 2, 3 and 4 (SSIM to 2 digits there).',
    '',
  ].join('\n');
  console.log(md);
  if (args.flags.output) await writeOutput(args.flags.output, md);
  return 0;
}
