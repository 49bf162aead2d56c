/** `srbnas pack`: float model folder → packed 1-bit model folder (docs/model-format.md §4). */
import { copyFile, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { validateModelJSON } from '../core/model/format';
import { packModel } from '../core/model/pack';
import { helpText, parseArgs, type CommandSpec } from './args';
import { modelJsonPath, readModelFiles, writeModelDir } from './modelFiles';

export const packSpec = {
  name: 'pack',
  summary:
    'Pack a trained float model: binary weights at 1 bit, scales folded (inference only; same output).',
  usage: 'srbnas pack <float model dir> -o <packed model dir>',
  positionals: { min: 1, max: 1, names: '<model dir>' },
  flags: {
    output: { type: 'string', alias: 'o', required: true, metavar: 'DIR', help: 'output folder' },
  },
  epilog:
    'The .md and .json files beside model.json (COMMANDS.md, eval.json) are copied along. The float folder stays ' +
    'the one to train further: the packed folder holds no latent weights.',
} satisfies CommandSpec;

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, packSpec);
  if (args.help) {
    console.log(helpText(packSpec));
    return 0;
  }
  const src = args.positionals[0];
  const out = args.flags.output;
  const raw = await readModelFiles(src);
  const file = modelJsonPath(src);
  let json;
  try {
    json = validateModelJSON(raw.json);
  } catch (e) {
    throw new Error(`${file}: ${e instanceof Error ? e.message : String(e)}`);
  }
  const packed = packModel(json, raw.weights);
  const srcDir = path.dirname(file);
  if (path.resolve(srcDir) === path.resolve(out))
    throw new Error('pack: --output must be another folder (the float model is kept)');
  await writeModelDir(out, packed);
  // Small side files (COMMANDS.md, eval.json…) travel with the model; checkpoints do not.
  const bin = json.weightsManifest[0].paths[0];
  for (const name of await readdir(srcDir)) {
    if (name === 'model.json' || name === bin || !/\.(md|json)$/.test(name)) continue;
    const from = path.join(srcDir, name);
    if ((await stat(from)).isFile()) await copyFile(from, path.join(out, name));
  }
  console.log(
    `${src} -> ${out}: ${raw.weights.byteLength} -> ${packed.weights.byteLength} bytes of weights ` +
      `(counts.sizeBytes ${json.counts.sizeBytes})`,
  );
  return 0;
}
