/**
 * A tiny typed argv parser for the `srbnas` subcommands.
 *
 * Supports `--flag value`, `--flag=value`, short aliases (`-o out.png`), boolean flags
 * (`--flag`, `--flag=false`, `--no-flag`), positional arguments, comma lists (`--scale 2,3,4`),
 * numbers with range/integer validation, choices, `--` to end flags, and `--help`/`-h`.
 * Every problem is thrown as a UsageError whose message names the flag, so main.ts prints one
 * clear line.
 *
 * Usage:
 *   const spec = {
 *     name: 'eval', summary: 'evaluate a model', usage: 'srbnas eval [options]',
 *     flags: {
 *       scale: { type: 'numberList', default: [2, 3, 4], integer: true, min: 2, help: 'scales' },
 *       json: { type: 'string', help: 'write results as JSON' },
 *       verbose: { type: 'boolean', help: 'more output' },
 *     },
 *   } satisfies CommandSpec;
 *   const args = parseArgs(argv, spec);
 *   if (args.help) { console.log(helpText(spec)); return 0; }
 *   args.flags.scale; // number[]
 */

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

interface FlagBase {
  help: string;
  /** One-letter short form, without the dash (e.g. 'o' for -o). */
  alias?: string;
  /** Fail when the flag is absent (ignored when a default is given). */
  required?: boolean;
  /** Name of the value in help text (e.g. 'DIR'). */
  metavar?: string;
}
interface NumberRules {
  min?: number;
  max?: number;
  integer?: boolean;
}

export type FlagSpec =
  | (FlagBase & { type: 'boolean'; default?: boolean })
  | (FlagBase & { type: 'string'; default?: string })
  | (FlagBase & { type: 'choice'; choices: readonly string[]; default?: string })
  | (FlagBase & NumberRules & { type: 'number'; default?: number })
  | (FlagBase & { type: 'list'; default?: string[] })
  | (FlagBase & NumberRules & { type: 'numberList'; default?: number[] });

export type FlagSpecs = Record<string, FlagSpec>;

export interface CommandSpec<F extends FlagSpecs = FlagSpecs> {
  name: string;
  summary: string;
  /** First help line, e.g. 'srbnas downscale <in.png> -o <out.png> --scale N'. */
  usage: string;
  flags: F;
  /** Allowed number of positional arguments (default 0..0). */
  positionals?: { min?: number; max?: number; names?: string };
  /** Extra lines after the flag list (examples, notes). */
  epilog?: string;
}

type BaseValue<S extends FlagSpec> = S extends { type: 'boolean' }
  ? boolean
  : S extends { type: 'number' }
    ? number
    : S extends { type: 'numberList' }
      ? number[]
      : S extends { type: 'list' }
        ? string[]
        : string;

/** Booleans are always defined (false when absent); others when they have a default or are required. */
export type FlagValue<S extends FlagSpec> = S extends { type: 'boolean' }
  ? boolean
  : S extends { default: unknown }
    ? BaseValue<S>
    : S extends { required: true }
      ? BaseValue<S>
      : BaseValue<S> | undefined;

export type FlagValues<F extends FlagSpecs> = { [K in keyof F]: FlagValue<F[K]> };

export interface ParsedArgs<F extends FlagSpecs> {
  flags: FlagValues<F>;
  positionals: string[];
  /** True when --help or -h was given; the caller prints helpText() and exits 0. */
  help: boolean;
}

/** 'maxEpochs' -> 'max-epochs': flags are written in kebab case on the command line. */
export function flagName(key: string): string {
  return key.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase());
}

function parseNumber(flag: string, raw: string, rules: NumberRules): number {
  const text = raw.trim();
  // Number('') is 0 and Number('0x10') is 16: accept only plain decimal notation.
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) {
    throw new UsageError(`--${flag}: '${raw}' is not a number`);
  }
  const v = Number(text);
  if (rules.integer && !Number.isInteger(v)) {
    throw new UsageError(`--${flag}: '${raw}' is not an integer`);
  }
  if (rules.min !== undefined && v < rules.min) {
    throw new UsageError(`--${flag}: ${v} is below the minimum ${rules.min}`);
  }
  if (rules.max !== undefined && v > rules.max) {
    throw new UsageError(`--${flag}: ${v} is above the maximum ${rules.max}`);
  }
  return v;
}

function splitList(flag: string, raw: string): string[] {
  const items = raw.split(',').map((s) => s.trim());
  if (items.some((s) => s === '')) throw new UsageError(`--${flag}: empty item in list '${raw}'`);
  return items;
}

function parseBoolean(flag: string, raw: string): boolean {
  const v = raw.toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(v)) return true;
  if (['false', '0', 'no', 'off'].includes(v)) return false;
  throw new UsageError(`--${flag}: '${raw}' is not a boolean (true/false)`);
}

function convert(flag: string, spec: FlagSpec, raw: string): unknown {
  switch (spec.type) {
    case 'boolean':
      return parseBoolean(flag, raw);
    case 'string':
      return raw;
    case 'choice':
      if (!spec.choices.includes(raw)) {
        throw new UsageError(`--${flag}: '${raw}' is not one of ${spec.choices.join(', ')}`);
      }
      return raw;
    case 'number':
      return parseNumber(flag, raw, spec);
    case 'list':
      return splitList(flag, raw);
    case 'numberList':
      return splitList(flag, raw).map((s) => parseNumber(flag, s, spec));
  }
}

export function parseArgs<F extends FlagSpecs>(
  argv: readonly string[],
  spec: CommandSpec<F>,
): ParsedArgs<F> {
  const byName = new Map<string, string>();
  const byAlias = new Map<string, string>();
  for (const key of Object.keys(spec.flags)) {
    byName.set(flagName(key), key);
    const alias = spec.flags[key].alias;
    if (alias) byAlias.set(alias, key);
  }
  const values: Record<string, unknown> = {};
  const positionals: string[] = [];
  let help = false;

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (arg === '--help' || arg === '-h') {
      help = true;
      continue;
    }
    // '-' alone is a positional (stdin/stdout convention); negative numbers too.
    const isLong = arg.startsWith('--');
    const isShort = !isLong && /^-[A-Za-z]$/.test(arg);
    if (!isLong && !isShort) {
      positionals.push(arg);
      continue;
    }
    let name: string;
    let inline: string | undefined;
    if (isLong) {
      const eq = arg.indexOf('=');
      name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
      inline = eq >= 0 ? arg.slice(eq + 1) : undefined;
    } else {
      const key = byAlias.get(arg.slice(1));
      if (!key) throw new UsageError(`unknown option '${arg}' (see --help)`);
      name = flagName(key);
    }
    const key = byName.get(name);
    // --no-foo for boolean foo.
    if (!key && name.startsWith('no-') && inline === undefined) {
      const k = byName.get(name.slice(3));
      if (k && spec.flags[k].type === 'boolean') {
        values[k] = false;
        continue;
      }
    }
    if (!key) throw new UsageError(`unknown option '--${name}' (see --help)`);
    const fs = spec.flags[key];
    name = flagName(key);
    if (fs.type === 'boolean' && inline === undefined) {
      values[key] = true;
      continue;
    }
    let raw = inline;
    if (raw === undefined) {
      const next = argv[i + 1];
      // A following '--x' is another flag, not this flag's value; '-3' is a value.
      if (next === undefined || (next.startsWith('-') && !/^-[\d.]/.test(next))) {
        throw new UsageError(`--${name} needs a value`);
      }
      raw = next;
      i++;
    }
    values[key] = convert(name, fs, raw);
  }

  if (!help) {
    for (const key of Object.keys(spec.flags)) {
      const fs = spec.flags[key];
      if (values[key] !== undefined) continue;
      if (fs.default !== undefined) values[key] = fs.default;
      else if (fs.type === 'boolean') values[key] = false;
      else if (fs.required) throw new UsageError(`--${flagName(key)} is required`);
    }
    const min = spec.positionals?.min ?? 0;
    const max = spec.positionals?.max ?? 0;
    const what = spec.positionals?.names ?? 'argument';
    if (positionals.length < min) {
      throw new UsageError(`missing ${what} (usage: ${spec.usage})`);
    }
    if (positionals.length > max) {
      throw new UsageError(
        max === 0
          ? `unexpected argument '${positionals[0]}' (usage: ${spec.usage})`
          : `too many arguments: '${positionals.slice(max).join(' ')}' (usage: ${spec.usage})`,
      );
    }
  }
  return { flags: values as FlagValues<F>, positionals, help };
}

function describeValue(fs: FlagSpec): string {
  if (fs.type === 'boolean') return '';
  if (fs.metavar) return ' ' + fs.metavar;
  switch (fs.type) {
    case 'number':
      return fs.integer ? ' N' : ' X';
    case 'numberList':
      return ' N,N,...';
    case 'list':
      return ' A,B,...';
    case 'choice':
      return ' ' + fs.choices.join('|');
    default:
      return ' VALUE';
  }
}

function describeDefault(fs: FlagSpec): string {
  if (fs.default === undefined || fs.default === false) return fs.required ? ' (required)' : '';
  const d = Array.isArray(fs.default) ? fs.default.join(',') : String(fs.default);
  return ` (default: ${d})`;
}

/** The text printed for `srbnas <command> --help`. */
export function helpText(spec: CommandSpec): string {
  const rows = Object.entries(spec.flags).map(([key, fs]) => {
    const short = fs.alias ? `-${fs.alias}, ` : '    ';
    return [`  ${short}--${flagName(key)}${describeValue(fs)}`, fs.help + describeDefault(fs)];
  });
  rows.push(['  -h, --help', 'show this help']);
  const width = Math.min(36, Math.max(...rows.map((r) => r[0].length)) + 2);
  const lines = rows.map(([l, r]) =>
    l.length + 2 > width ? `${l}\n${' '.repeat(width)}${r}` : l.padEnd(width) + r,
  );
  return [
    `usage: ${spec.usage}`,
    '',
    spec.summary,
    '',
    'options:',
    ...lines,
    ...(spec.epilog ? ['', spec.epilog] : []),
  ].join('\n');
}
