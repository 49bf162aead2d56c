#!/usr/bin/env node
// Keep a trained model that is not an app default (a baseline of Table 2, an earlier default) in
// the repository: model.json + weights.bin into models/trained/<name>/, and its `srbnas eval
// --json` result into models/results/<name>.json pointing there, so `srbnas report --results
// models/results` finds its architecture and counts on a fresh clone. Usage:
//   node scripts/archive-model.mjs <model dir> <eval.json> [name]
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';

const [src, evalPath, nameArg] = process.argv.slice(2);
if (!src || !evalPath) {
  console.error('usage: archive-model.mjs <model dir> <eval.json> [name]');
  process.exit(2);
}
const name = nameArg ?? basename(src.replace(/\/+$/, ''));
const out = join('models/trained', name);
mkdirSync(out, { recursive: true });
const model = JSON.parse(readFileSync(join(src, 'model.json'), 'utf8'));
copyFileSync(join(src, 'model.json'), join(out, 'model.json'));
for (const p of model.weightsManifest.flatMap((g) => g.paths))
  copyFileSync(join(src, p), join(out, p));
const evaluation = JSON.parse(readFileSync(evalPath, 'utf8'));
// Per-image scores are kept; the absolute paths of the machine that measured them are not.
const result = { ...evaluation, model: `models/trained/${name}`, data: '../shared/datasets' };
writeFileSync(join('models/results', `${name}.json`), JSON.stringify(result, null, 1) + '\n');
console.log(`archived ${src} as ${out} (result in models/results/${name}.json)`);
