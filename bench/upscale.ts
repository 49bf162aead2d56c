/**
 * Upscale benchmark: time to upscale N×N inputs (default 256, 512, 1024) ×3 in the CLI (Node,
 * WASM, the CLI's tile) and in Chromium per backend (webgpu, webgl, wasm) through the studio
 * page. Prints one JSON document.
 *
 * Run: npm run bench:upscale [-- --model DIR] [-- --sizes 256,512] [-- --backends wasm]
 *      [-- --limit SECONDS] [-- --out FILE]
 * --model: a CLI model folder (default: the bundled public/models/x3 when present, else the
 * tiny e2e fixture e2e/fixtures/tiny-x3: 1 cell, C=8, so absolute times say little about a
 * paper-size network). --limit bounds each browser job on GPU backends (default 120 s): on
 * SwiftShader (software WebGPU/WebGL) a large input can take far longer, and the result then
 * says `timedOut` with the limit. WASM in the browser gets 30 min, so 1024² finishes.
 * Needs a production build (dist/); it runs `vite build` when dist/ is missing.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readModelDir } from '../src/cli/modelFiles';
import { CLI_TILE } from '../src/cli/modelRegistry';
import { startWasmBackend } from '../src/cli/nodeBackend';
import { describeArch } from '../src/core/model/config';
import { upscaleImage } from '../src/core/model/infer';
import { syntheticImage } from '../src/core/model/testUtil';
import { startPreview } from './preview';
import { benchBrowser } from './upscaleBrowser';

const root = path.resolve(import.meta.dirname, '..');

function arg(name: string): string | undefined {
  const i = process.argv.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (i < 0) return undefined;
  const a = process.argv[i];
  return a.includes('=') ? a.slice(a.indexOf('=') + 1) : process.argv[i + 1];
}

const defaultModel = existsSync(path.join(root, 'public/models/x3/model.json'))
  ? path.join(root, 'public/models/x3')
  : path.join(root, 'e2e/fixtures/tiny-x3');
const modelDir = path.resolve(arg('model') ?? defaultModel);
const sizes = (arg('sizes') ?? '256,512,1024').split(',').map(Number);
const backends = (arg('backends') ?? 'webgpu,webgl,wasm').split(',');
const gpuLimit = Number(arg('limit') ?? 120);
const log = (s: string) => console.error(`[bench:upscale] ${s}`);

async function benchCli() {
  await startWasmBackend();
  const { net, json } = await readModelDir(modelDir);
  if (net.config.scale !== 3) log(`note: the model is x${net.config.scale}, not x3`);
  const rows = [];
  await upscaleImage(net, syntheticImage(32, 32, 0), { tile: CLI_TILE }); // warm-up
  for (const size of sizes) {
    const img = syntheticImage(size, size, 1);
    const t0 = performance.now();
    const out = await upscaleImage(net, img, { tile: CLI_TILE });
    const seconds = (performance.now() - t0) / 1000;
    log(`cli wasm ${size}² → ${out.width}×${out.height}: ${seconds.toFixed(2)} s`);
    rows.push({ size, seconds });
  }
  net.dispose();
  return { model: json.name, arch: describeArch(json.architecture), counts: json.counts, rows };
}

async function main() {
  const load0 = os.loadavg()[0];
  const cli = await benchCli();
  if (!existsSync(path.join(root, 'dist/index.html'))) {
    log('no dist/: running vite build');
    execFileSync(process.execPath, [path.join(root, 'node_modules/vite/bin/vite.js'), 'build'], {
      cwd: root,
      stdio: 'inherit',
    });
  }
  const server = await startPreview(root, 4179);
  let browser;
  try {
    browser = await benchBrowser({
      url: server.url,
      modelDir,
      backends,
      sizes,
      limitFor: (b) => (b === 'wasm' ? 1800 : gpuLimit),
      log,
    });
  } finally {
    server.stop();
  }
  const result = {
    bench: 'upscale',
    scale: 3,
    modelDir: path.relative(root, modelDir),
    model: cli.model,
    arch: cli.arch,
    counts: cli.counts,
    note:
      'seconds per upscale of an N×N input (LR) to 3N×3N; browser times are the studio ' +
      "worker's (tiled inference + bicubic + transfer, decode excluded) after a warm-up. " +
      'Where Chromium has no GPU (as on the machine these numbers were first taken on), WebGPU ' +
      `and WebGL run on SwiftShader (software): GPU backends are bounded at ${gpuLimit} s per ` +
      'job and reported timedOut past it (larger sizes then skipped); WASM is not bounded.',
    cli: cli.rows.map((r) => ({ backend: 'node-wasm', ...r })),
    browser,
    load: [load0, os.loadavg()[0]],
    cpus: os.cpus().length,
  };
  const text = JSON.stringify(result, null, 1);
  console.log(text);
  const outFile = arg('out');
  if (outFile) writeFileSync(outFile, text + '\n');
}

await main();
