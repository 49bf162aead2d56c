export interface Command {
  summary: string;
  run: (argv: string[]) => Promise<number>;
}

/** All subcommands; each lives in its own file and is loaded lazily (tfjs start-up is slow). */
export const COMMANDS: Record<string, Command> = {
  search: {
    summary: 'SRBNAS architecture search on training images (T91); writes a genotype JSON',
    run: async (argv) => (await import('./search')).run(argv),
  },
  'search-report': {
    summary: 'how much searches were driven by the data (init agreement, seeds agreement) as JSON',
    run: async (argv) => (await import('./searchReport')).run(argv),
  },
  eval: {
    summary: 'PSNR/SSIM of a model (e.g. bicubic) on Set5/Set14/BSD100',
    run: async (argv) => (await import('./eval')).run(argv),
  },
  upscale: {
    summary: 'upscale an image with a model (bicubic, ...)',
    run: async (argv) => (await import('./upscale')).run(argv),
  },
  pack: {
    summary: 'pack a trained float model into the 1-bit inference format',
    run: async (argv) => (await import('./pack')).run(argv),
  },
  train: {
    summary: 'train a searched genotype or a baseline (checkpoint/resume)',
    run: async (argv) => (await import('./train')).runTrain(argv),
  },
  report: {
    summary: "Markdown tables (paper's Tables 2/3) from saved eval JSON",
    run: async (argv) => (await import('./report')).runReport(argv),
  },
  downscale: {
    summary: "make an LR image with MATLAB-style bicubic (the datasets' convention)",
    run: async (argv) => (await import('./downscale')).run(argv),
  },
};
