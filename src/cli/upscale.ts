/** `srbnas upscale`: enlarge one image with bicubic or a trained model folder. */
import { helpText, parseArgs, UsageError, type CommandSpec } from './args';
import { getUpscaler, MODELS } from './eval';
import { readImage, writeImage } from './io';
import { ENGINES, type Engine } from '../core/model/network';
import { defaultWorkers } from '../node/parallel/spawn';
import { CLI_TILE, DEFAULT_ENGINE } from './modelRegistry';

export const upscaleSpec = {
  name: 'upscale',
  summary: 'Upscale an image by an integer factor with a model.',
  usage:
    'srbnas upscale [--model bicubic|<model dir>] <in.png|jpg> -o <out.png|jpg> [--scale N] [--engine packed|float]',
  positionals: { min: 1, max: 1, names: '<in>' },
  flags: {
    model: { type: 'string', default: 'bicubic', metavar: 'NAME', help: 'model to use' },
    output: { type: 'string', alias: 'o', required: true, metavar: 'FILE', help: 'output image' },
    scale: {
      type: 'number',
      integer: true,
      min: 2,
      max: 8,
      help: "factor (default: a trained model's own scale; required for bicubic)",
    },
    tile: {
      type: 'number',
      integer: true,
      min: 0,
      default: CLI_TILE,
      help: 'LR tile side for trained models (0 = whole image at once; tiles overlap by the receptive field, so the result is the same)',
    },
    engine: {
      type: 'choice',
      choices: ENGINES,
      default: DEFAULT_ENGINE,
      help: 'trained models: packed (1-bit weights, XNOR-popcount kernel) or float (the reference; same output)',
    },
    threads: {
      type: 'number',
      integer: true,
      min: 1,
      max: 64,
      default: defaultWorkers(),
      help: 'packed engine: share the tiles with this many threads (default: the cores)',
    },
    quality: {
      type: 'number',
      integer: true,
      min: 1,
      max: 100,
      default: 92,
      help: 'JPEG quality (when the output ends in .jpg)',
    },
  },
  epilog: `models: ${Object.keys(MODELS).join(', ')}, or a trained model folder (e.g. public/models/x3)`,
} satisfies CommandSpec;

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, upscaleSpec);
  if (args.help) {
    console.log(helpText(upscaleSpec));
    return 0;
  }
  const { model, output, quality, tile, engine, threads } = args.flags;
  const input = args.positionals[0];
  const upscaler = await getUpscaler(model, tile, engine as Engine, threads);
  const scale = args.flags.scale ?? upscaler.scale;
  if (scale === undefined) throw new UsageError(`--scale is required for --model ${model}`);
  const img = await readImage(input);
  const t0 = Date.now();
  const sr = await upscaler(img, scale).finally(() => upscaler.dispose?.());
  await writeImage(output, sr, quality);
  console.log(
    `${input} ${img.width}x${img.height} -> ${output} ${sr.width}x${sr.height} (x${scale}, ${model}${upscaler.scale ? `, ${engine} engine` : ''}, ${((Date.now() - t0) / 1000).toFixed(2)} s)`,
  );
  return 0;
}
