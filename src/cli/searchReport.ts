/** `srbnas search-report`: how much a search's result was decided by the data (JSON). */
import { readFile } from 'node:fs/promises';
import {
  crossRunSignal,
  runSignal,
  type RunSignal,
  type SignalSnapshot,
} from '../core/search/signal';
import { PRIMITIVES } from '../core/search/types';
import { helpText, parseArgs, UsageError, type CommandSpec } from './args';
import { writeAtomic } from './modelFiles';

const spec = {
  name: 'search-report',
  summary:
    'Search signal of `srbnas search --log` files: per run the agreement of the final cell with its step-0 initialisation, max|p − 1/6|, entropy and the α-gradient split (data vs regularisers); across runs the agreement of ops and kept edges.',
  usage: 'srbnas search-report LOG.jsonl [LOG.jsonl ...] [--json out.json]',
  positionals: { min: 1, max: 1000, names: 'LOG...' },
  flags: {
    json: { type: 'string', metavar: 'FILE', help: 'also write the JSON here' },
  },
  epilog:
    'Chance agreement per edge is 1/6 for ops. A search driven by its initialisation shows a\n' +
    'high initAgreement and runs (seeds) that agree about as often as chance.',
} satisfies CommandSpec;

async function readLog(file: string): Promise<SignalSnapshot[]> {
  const text = await readFile(file, 'utf8').catch((e: Error) => {
    throw new UsageError(`${file}: ${e.message}`);
  });
  const lines = text.split('\n').filter((l) => l.trim());
  return lines.map((l, i) => {
    try {
      return JSON.parse(l) as SignalSnapshot;
    } catch {
      throw new UsageError(`${file}:${i + 1}: not a JSON line`);
    }
  });
}

export interface SearchReport {
  chance: { op: number };
  runs: ({ log: string } & RunSignal)[];
  across: ReturnType<typeof crossRunSignal> | null;
}

export async function searchReport(files: string[]): Promise<SearchReport> {
  const runs: SearchReport['runs'] = [];
  const finals: { final: SignalSnapshot }[] = [];
  for (const f of files) {
    const snaps = await readLog(f);
    try {
      runs.push({ log: f, ...runSignal(snaps) });
    } catch (e) {
      throw new UsageError(`${f}: ${(e as Error).message}`);
    }
    finals.push({ final: snaps[snaps.length - 1] });
  }
  return {
    chance: { op: 1 / PRIMITIVES.length },
    runs,
    across: files.length > 1 ? crossRunSignal(finals) : null,
  };
}

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, spec);
  if (args.help) {
    console.log(helpText(spec));
    return 0;
  }
  const report = await searchReport(args.positionals);
  const text = JSON.stringify(report, null, 2);
  if (args.flags.json) await writeAtomic(args.flags.json, text + '\n');
  console.log(text);
  return 0;
}
