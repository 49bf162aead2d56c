import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findDatasets } from './io';

/**
 * The README's `srbnas` commands, run as written (issue 10: "README commands work as written on
 * a fresh clone"), in a fresh folder, one after the other as a reader would, so an output one
 * command writes (runs/search/genotype.json) is the input of the next. Only sizes are shrunk
 * (epochs, steps, test sets) so the whole README runs in a minute or two; flags, paths and
 * folders stay as printed. A README command the CLI no longer accepts fails this test.
 */
const repo = path.resolve(import.meta.dirname, '../..');
const readme = readFileSync(path.join(repo, 'README.md'), 'utf8');

/** `npx srbnas …` commands of the README's sh blocks, continuation lines joined. */
export function readmeCommands(md: string): string[] {
  const out: string[] = [];
  for (const block of md.matchAll(/```sh\n([\s\S]*?)```/g)) {
    const joined = block[1].replace(/\\\n\s*/g, ' ');
    for (const line of joined.split('\n')) {
      const t = line.trim();
      if (t.startsWith('npx srbnas ')) out.push(t.slice('npx srbnas '.length));
    }
  }
  return out;
}

/** Shell-like words (no quotes are used in the README's commands); `[...]` optional parts dropped. */
function words(cmd: string): string[] {
  return cmd
    .replace(/\[[^\]]*\]/g, ' ')
    .split(/\s+/)
    .filter(Boolean);
}

/** Same command at a size that runs in seconds. */
function shrink(argv: string[], datasets: string): string[] {
  const small: Record<string, string> = {
    '--epochs': '2',
    '--steps-per-epoch': '2',
    '--sets': 'Set5',
    '--batch': '2',
  };
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a in small && i + 1 < argv.length) {
      out.push(a, small[a]);
      i++;
    } else out.push(a.replace('../shared/datasets', datasets));
  }
  // A search preset sized for minutes runs at the smallest size too.
  if (out[0] === 'search' && !out.includes('--epochs')) out.push('--epochs', '2');
  if (out[0] === 'search' && !out.includes('--steps-per-epoch')) out.push('--steps-per-epoch', '2');
  return out;
}

const datasets = findDatasets();
const cmds = readmeCommands(readme);

describe('README commands', () => {
  it('the README has srbnas commands to check', () => {
    expect(cmds.length).toBeGreaterThanOrEqual(8);
    expect(cmds.some((c) => c.startsWith('search '))).toBe(true);
    expect(cmds.some((c) => c.startsWith('train '))).toBe(true);
  });

  it.skipIf(!datasets)(
    'every README srbnas command runs as written in a fresh folder (sizes shrunk)',
    () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'srbnas-readme-'));
      // What a fresh clone has next to the README: the bundled models and images.
      symlinkSync(path.join(repo, 'public'), path.join(dir, 'public'));
      symlinkSync(path.join(repo, 'models'), path.join(dir, 'models'));
      // The reader's own photo: a bundled one, made small so the upscales take seconds.
      const bin = path.join(repo, 'bin/srbnas.mjs');
      const coffee = path.join(repo, 'public/images/coffee.png');
      const photo = ['downscale', coffee, '-o', 'photo.png', '--scale', '5'];
      expect(spawnSync(process.execPath, [bin, ...photo], { cwd: dir }).status).toBe(0);
      for (const c of cmds) {
        const argv = shrink(words(c), datasets!);
        const r = spawnSync(process.execPath, [bin, ...argv], {
          cwd: dir,
          encoding: 'utf8',
          timeout: 240_000,
        });
        expect(
          r.status,
          `README command failed: srbnas ${argv.join(' ')}\n${r.stderr.slice(-2000)}`,
        ).toBe(0);
      }
      expect(existsSync(path.join(dir, 'runs/search/genotype.json'))).toBe(true);
    },
    1_200_000,
  );
});

if (!datasets)
  console.warn(
    '[readme.test] datasets not found (../shared/datasets or SRBNAS_DATASETS): the README commands were not run',
  );
