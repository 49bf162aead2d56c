#!/usr/bin/env node
// Publish a trained model folder as a bundled default of the app: the float model (latent
// weights, what training continues from) goes to models/float/<id>/, and its packed form
// (`srbnas pack`: 1-bit weights, docs/model-format.md §4) to public/models/<id>/, which the page
// and the CLI load; model.json gets `benchmarks` from an `srbnas eval --json` file (read by the
// studio's model panel); the eval JSON itself and the commands that made it go beside the packed
// model; then it is listed in public/models/index.json. Usage:
//   node scripts/publish-model.mjs <id> <model dir> <eval.json> <commands.md>
import { copyFileSync, mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';

const [id, src, evalPath, commandsPath] = process.argv.slice(2);
if (!id || !src || !evalPath || !commandsPath) {
  console.error('usage: publish-model.mjs <id> <model dir> <eval.json> <commands.md>');
  process.exit(2);
}
const out = join('public/models', id);
const floatDir = join('models/float', id);
mkdirSync(out, { recursive: true });
mkdirSync(floatDir, { recursive: true });
const model = JSON.parse(readFileSync(join(src, 'model.json'), 'utf8'));
const evaluation = JSON.parse(readFileSync(evalPath, 'utf8'));
model.benchmarks = Object.fromEntries(
  evaluation.results.map((r) => [`${r.set} x${r.scale}`, { psnr: r.psnr, ssim: r.ssim }]),
);
writeFileSync(join(floatDir, 'model.json'), JSON.stringify(model, null, 1) + '\n');
for (const p of model.weightsManifest.flatMap((g) => g.paths))
  copyFileSync(join(src, p), join(floatDir, p));
execFileSync(process.execPath, ['bin/srbnas.mjs', 'pack', floatDir, '-o', out], { stdio: 'inherit' });
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
console.log(`published ${src} as ${out} (packed) and ${floatDir} (float)`);
