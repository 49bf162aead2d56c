/** `srbnas downscale`: make an LR image exactly as the benchmark LR images were made. */
import { downscaleBicubic } from '../core/image/bicubic';
import { modcrop } from '../core/image/image';
import { helpText, parseArgs, type CommandSpec } from './args';
import { readImage, writeImage } from './io';

export const downscaleSpec = {
  name: 'downscale',
  summary:
    'Shrink an image by an integer factor with MATLAB-style antialiased bicubic (the LR convention of Set5/Set14/BSD100).',
  usage: 'srbnas downscale <in.png|jpg> -o <out.png|jpg> --scale N',
  positionals: { min: 1, max: 1, names: '<in>' },
  flags: {
    output: { type: 'string', alias: 'o', required: true, metavar: 'FILE', help: 'output image' },
    scale: { type: 'number', integer: true, min: 2, max: 16, required: true, help: 'factor' },
    modcrop: {
      type: 'boolean',
      default: true,
      help: 'first crop to a multiple of the scale, as the datasets do (--no-modcrop keeps all; sizes round up)',
    },
  },
} satisfies CommandSpec;

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, downscaleSpec);
  if (args.help) {
    console.log(helpText(downscaleSpec));
    return 0;
  }
  const { output, scale } = args.flags;
  const input = args.positionals[0];
  const img = await readImage(input);
  const src = args.flags.modcrop ? modcrop(img, scale) : img;
  const lr = downscaleBicubic(src, scale);
  await writeImage(output, lr);
  console.log(
    `${input} ${img.width}x${img.height} -> ${output} ${lr.width}x${lr.height} (x${scale}, bicubic)`,
  );
  return 0;
}
