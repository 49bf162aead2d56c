/**
 * Tiling benchmark: a real photo through a bundled model, once in one piece and once in the
 * CLI's tiles, to show that tiling leaves no seams (the float outputs and the 8-bit files are
 * compared) and what it costs in time and memory. Repeats the tiled upscale to show memory stays
 * flat. Prints one JSON document.
 *
 * Run: npm run bench:tiling [-- --model public/models/x3] [-- --image public/images/astronaut.png]
 *      [-- --size 512] [-- --tile 128] [-- --repeats 3]
 * The input is brought to --size × --size (default 512, the size issue 4 asks about): enlarged
 * by an integer bicubic factor when smaller (the bundled astronaut is 256²), then centre-cropped.
 */
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { readImage } from '../src/cli/io';
import { readModelDir } from '../src/cli/modelFiles';
import { CLI_TILE } from '../src/cli/modelRegistry';
import { startWasmBackend } from '../src/cli/nodeBackend';
import { resizeBicubic } from '../src/core/image/bicubic';
import { crop, toFloat, toRgb, type Image } from '../src/core/image/image';
import { describeArch } from '../src/core/model/config';
import { receptiveRadius } from '../src/core/model/count';
import { upscaleFloat, upscaleImage } from '../src/core/model/infer';

const root = path.resolve(import.meta.dirname, '..');

function arg(name: string, fallback: string): string {
  const i = process.argv.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (i < 0) return fallback;
  const a = process.argv[i];
  return a.includes('=') ? a.slice(a.indexOf('=') + 1) : process.argv[i + 1];
}

const modelDir = path.resolve(root, arg('model', 'public/models/x3'));
const imagePath = path.resolve(root, arg('image', 'public/images/astronaut.png'));
const tile = Number(arg('tile', String(CLI_TILE)));
const repeats = Number(arg('repeats', '3'));
const size = Number(arg('size', '512'));
const log = (s: string) => console.error(`[bench:tiling] ${s}`);
const mb = (bytes: number) => Math.round(bytes / 2 ** 20);

/** size × size pixels of `img`: integer bicubic enlargement if needed, then a centre crop. */
function fitTo(img: Image, n: number): Image {
  const f = Math.ceil(n / Math.min(img.width, img.height));
  const big = f > 1 ? resizeBicubic(img, { direction: 'up', factor: f }) : img;
  return crop(big, (big.width - n) >> 1, (big.height - n) >> 1, n, n);
}

async function main() {
  const backend = await startWasmBackend();
  const { net, json } = await readModelDir(modelDir);
  const img = fitTo(toRgb(await readImage(imagePath)), size);
  const lr = toFloat(toRgb(img));
  const whole = Math.max(img.width, img.height);

  const timed = async <T>(f: () => Promise<T>) => {
    const t0 = performance.now();
    const v = await f();
    return { v, seconds: (performance.now() - t0) / 1000 };
  };
  log(`${json.name} on ${path.basename(imagePath)} at ${img.width}×${img.height}, untiled…`);
  const untiled = await timed(() => upscaleFloat(net, lr, { tile: whole }));
  const rssUntiled = process.memoryUsage().rss;
  log(`untiled ${untiled.seconds.toFixed(1)} s; tiled (${tile})…`);
  const tiled = await timed(() => upscaleFloat(net, lr, { tile }));

  // Float difference, and what it does to the 8-bit output a user sees.
  let maxAbs = 0;
  let sq = 0;
  const a = untiled.v.data;
  const b = tiled.v.data;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    if (d > maxAbs) maxAbs = d;
    sq += d * d;
  }
  const bytesA = await upscaleImage(net, img, { tile: whole });
  const bytesB = await upscaleImage(net, img, { tile });
  let bytesDiffer = 0;
  let maxByteDiff = 0;
  for (let i = 0; i < bytesA.data.length; i++) {
    const d = Math.abs(bytesA.data[i] - bytesB.data[i]);
    if (d) bytesDiffer++;
    if (d > maxByteDiff) maxByteDiff = d;
  }

  // Memory across repeated tiled upscales: tensors, tensor bytes, JS heap and RSS after each
  // (after a full GC when node runs with --expose-gc, as `npm run bench:tiling` does, so the
  // JS numbers are what is still reachable, not what the collector has not got to yet).
  const gc = (globalThis as { gc?: () => void }).gc;
  const repeatsOut = [];
  for (let k = 0; k < repeats; k++) {
    const r = await timed(() => upscaleImage(net, img, { tile }));
    gc?.();
    const m = process.memoryUsage();
    repeatsOut.push({
      seconds: r.seconds,
      tensors: tf.memory().numTensors,
      tensorMB: mb(tf.memory().numBytes),
      heapUsedMB: mb(m.heapUsed),
      arrayBuffersMB: mb(m.arrayBuffers),
      rssMB: mb(m.rss),
    });
    log(`repeat ${k + 1}: ${r.seconds.toFixed(1)} s, ${tf.memory().numTensors} tensors`);
  }
  const out = {
    bench: 'tiling',
    backend,
    model: path.relative(root, modelDir),
    arch: describeArch(json.architecture),
    image: path.relative(root, imagePath),
    input: [img.width, img.height],
    output: [bytesA.width, bytesA.height],
    tile,
    overlap: receptiveRadius(net.config),
    untiled: { seconds: untiled.seconds, rssMBAfter: mb(rssUntiled) },
    tiled: { seconds: tiled.seconds },
    float: { maxAbsDiff: maxAbs, rmsDiff: Math.sqrt(sq / a.length) },
    uint8: { valuesDiffering: bytesDiffer, of: bytesA.data.length, maxDiff: maxByteDiff },
    repeats: repeatsOut,
    maxRssMB: mb(process.resourceUsage().maxRSS * 1024),
  };
  net.dispose();
  console.log(JSON.stringify(out, null, 2));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
