#!/usr/bin/env node
// Copy a trained model folder into public/models/<id>/ as a bundled default of the app:
// model.json (+ `benchmarks` from an `srbnas eval --json` file, read by the studio's model
// panel), weights.bin, the eval JSON itself, and the commands that made it; then list it in
// public/models/index.json. Usage:
//   node scripts/publish-model.mjs <id> <model dir> <eval.json> <commands.md>
import { copyFileSync, mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const [id, src, evalPath, commandsPath] = process.argv.slice(2);
if (!id || !src || !evalPath || !commandsPath) {
  console.error('usage: publish-model.mjs <id> <model dir> <eval.json> <commands.md>');
  process.exit(2);
}
const out = join('public/models', id);
mkdirSync(out, { recursive: true });
const model = JSON.parse(readFileSync(join(src, 'model.json'), 'utf8'));
const evaluation = JSON.parse(readFileSync(evalPath, 'utf8'));
model.benchmarks = Object.fromEntries(
  evaluation.results.map((r) => [`${r.set} x${r.scale}`, { psnr: r.psnr, ssim: r.ssim }]),
);
writeFileSync(join(out, 'model.json'), JSON.stringify(model, null, 1) + '\n');
for (const p of model.weightsManifest.flatMap((g) => g.paths))
  copyFileSync(join(src, p), join(out, p));
// Per-image scores are kept; the absolute paths of the machine that measured them are not.
writeFileSync(
  join(out, 'eval.json'),
  JSON.stringify(
    { ...evaluation, model: `public/models/${id}`, data: '../shared/datasets' },
    null,
    1,
  ) + '\n',
);
copyFileSync(commandsPath, join(out, 'COMMANDS.md'));
const indexPath = 'public/models/index.json';
const index = existsSync(indexPath) ? JSON.parse(readFileSync(indexPath, 'utf8')) : [];
const entry = { id, path: `models/${id}` };
const next = [...index.filter((e) => e.id !== id), entry].sort((a, b) => a.id.localeCompare(b.id));
writeFileSync(indexPath, JSON.stringify(next, null, 1) + '\n');
console.log(`published ${src} as ${out}`);
