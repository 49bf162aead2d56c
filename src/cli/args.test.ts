import { describe, expect, it } from 'vitest';
import { helpText, parseArgs, UsageError, type CommandSpec } from './args';

const spec = {
  name: 'demo',
  summary: 'a demo command',
  usage: 'srbnas demo [options] <in>',
  positionals: { min: 0, max: 2, names: '<in>' },
  flags: {
    scale: {
      type: 'numberList',
      integer: true,
      min: 2,
      max: 4,
      default: [2, 3, 4],
      help: 'scales',
    },
    sets: { type: 'list', help: 'datasets' },
    output: { type: 'string', alias: 'o', help: 'output file' },
    epochs: { type: 'number', integer: true, min: 1, help: 'epochs' },
    lr: { type: 'number', default: 1e-3, help: 'learning rate' },
    verbose: { type: 'boolean', help: 'more output' },
    fast: { type: 'boolean', default: true, help: 'fast path' },
    model: { type: 'choice', choices: ['bicubic', 'srbnas'], default: 'bicubic', help: 'model' },
    maxEpochs: { type: 'number', help: 'camel case flag' },
  },
} satisfies CommandSpec;

describe('parseArgs', () => {
  it('fills defaults and booleans', () => {
    const a = parseArgs([], spec);
    expect(a.flags.scale).toEqual([2, 3, 4]);
    expect(a.flags.lr).toBe(1e-3);
    expect(a.flags.verbose).toBe(false);
    expect(a.flags.fast).toBe(true);
    expect(a.flags.output).toBeUndefined();
    expect(a.help).toBe(false);
  });

  it('parses --flag value, --flag=value, aliases, lists, positionals', () => {
    const a = parseArgs(
      [
        'in.png',
        '--scale',
        '3',
        '--sets=Set5,Set14',
        '-o',
        'out.png',
        '--verbose',
        '--no-fast',
        '--epochs=7',
        '--max-epochs',
        '9',
        '--model',
        'srbnas',
        'x',
      ],
      spec,
    );
    expect(a.positionals).toEqual(['in.png', 'x']);
    expect(a.flags.scale).toEqual([3]);
    expect(a.flags.sets).toEqual(['Set5', 'Set14']);
    expect(a.flags.output).toBe('out.png');
    expect(a.flags.verbose).toBe(true);
    expect(a.flags.fast).toBe(false);
    expect(a.flags.epochs).toBe(7);
    expect(a.flags.maxEpochs).toBe(9);
    expect(a.flags.model).toBe('srbnas');
  });

  it('accepts negative numbers as values and -- to end flags', () => {
    const a = parseArgs(['--lr', '-0.5', '--', '--verbose'], spec);
    expect(a.flags.lr).toBe(-0.5);
    expect(a.flags.verbose).toBe(false);
    expect(a.positionals).toEqual(['--verbose']);
  });

  it('reports errors that name the flag', () => {
    const msg = (argv: string[]) => {
      try {
        parseArgs(argv, spec);
      } catch (e) {
        expect(e).toBeInstanceOf(UsageError);
        return (e as Error).message;
      }
      return 'no error';
    };
    expect(msg(['--bogus'])).toMatch(/unknown option '--bogus'/);
    expect(msg(['-z'])).toMatch(/unknown option '-z'/);
    expect(msg(['--scale', '5'])).toMatch(/--scale: 5 is above the maximum 4/);
    expect(msg(['--scale', '2.5'])).toMatch(/--scale: '2.5' is not an integer/);
    expect(msg(['--epochs', 'abc'])).toMatch(/--epochs: 'abc' is not a number/);
    expect(msg(['--epochs', ''])).toMatch(/--epochs: '' is not a number/);
    expect(msg(['--epochs', '0x10'])).toMatch(/not a number/);
    expect(msg(['--output'])).toMatch(/--output needs a value/);
    expect(msg(['--output', '--verbose'])).toMatch(/--output needs a value/);
    expect(msg(['--sets', 'a,,b'])).toMatch(/--sets: empty item/);
    expect(msg(['--model', 'x'])).toMatch(/--model: 'x' is not one of bicubic, srbnas/);
    expect(msg(['--verbose=maybe'])).toMatch(/--verbose: 'maybe' is not a boolean/);
    expect(msg(['a', 'b', 'c'])).toMatch(/too many arguments: 'c'/);
  });

  it('checks required flags and minimum positionals, but not under --help', () => {
    const req = {
      name: 'r',
      summary: 's',
      usage: 'srbnas r <in>',
      positionals: { min: 1, max: 1, names: '<in>' },
      flags: { out: { type: 'string', required: true, help: 'o' } },
    } satisfies CommandSpec;
    expect(() => parseArgs(['x'], req)).toThrow(/--out is required/);
    expect(() => parseArgs(['--out', 'y'], req)).toThrow(/missing <in>/);
    const ok = parseArgs(['x', '--out', 'y'], req);
    const out: string = ok.flags.out; // typed as string (required)
    expect(out).toBe('y');
    expect(parseArgs(['--help'], req).help).toBe(true);
    expect(parseArgs(['-h'], req).help).toBe(true);
  });

  it('help text lists every flag with defaults', () => {
    const h = helpText(spec);
    expect(h).toContain('usage: srbnas demo [options] <in>');
    expect(h).toContain('--scale N,N,...');
    expect(h).toContain('(default: 2,3,4)');
    expect(h).toContain('-o, --output VALUE');
    expect(h).toContain('--max-epochs');
    expect(h).toContain('--model bicubic|srbnas');
    expect(h).toContain('--help');
  });
});
