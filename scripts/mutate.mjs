#!/usr/bin/env node
// `npm run mutate [-- folder...]`: StrykerJS over src/core, one folder at a time (nn, search,
// model, train, ...; "." is the files directly in src/core), then a score table per folder.
// Each folder's report lands in reports/mutation/<folder>.{json,html}. Options:
//   --concurrency N   test-runner processes (default 1: the machine is shared)
//   --table           only print the table from the reports already there
// Score = (killed + timed out) / (killed + timed out + survived + no coverage), Stryker's
// definition; compile errors and ignored (static) mutants are outside it.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
let concurrency = '1';
let tableOnly = false;
let folders = [];
for (let i = 2; i < process.argv.length; i++) {
  const a = process.argv[i];
  if (a === '--concurrency') concurrency = process.argv[++i];
  else if (a === '--table') tableOnly = true;
  else folders.push(a);
}
const core = path.join(root, 'src/core');
if (folders.length === 0) {
  folders = readdirSync(core)
    .filter((f) => statSync(path.join(core, f)).isDirectory())
    .concat('.');
}

const reportName = (f) => (f === '.' ? 'root' : f);
mkdirSync(path.join(root, 'reports/mutation'), { recursive: true });
const wallFile = path.join(root, 'reports/mutation/wall-seconds.json');
const walls = existsSync(wallFile) ? JSON.parse(readFileSync(wallFile, 'utf8')) : {};

if (!tableOnly) {
  const env = { ...process.env };
  // The sandbox is a copy of the repository elsewhere, so point the dataset tests at the real
  // datasets (they skip with a message when absent).
  const datasets = path.resolve(root, '../shared/datasets');
  if (!env.SRBNAS_DATASETS && existsSync(datasets)) env.SRBNAS_DATASETS = datasets;
  for (const f of folders) {
    const t0 = Date.now();
    const res = spawnSync(
      'npx',
      ['stryker', 'run', 'stryker.config.mjs', '--concurrency', concurrency],
      { cwd: root, stdio: 'inherit', env: { ...env, SRBNAS_MUTATE_FOLDER: f } },
    );
    walls[reportName(f)] = Math.round((Date.now() - t0) / 1000);
    writeFileSync(wallFile, JSON.stringify(walls, null, 1) + '\n');
    if (res.status !== 0) {
      console.error(`stryker failed on src/core/${f} (exit ${res.status})`);
      process.exit(res.status ?? 1);
    }
  }
}

// Score table from the JSON reports (mutation-testing-report-schema).
const rows = [];
for (const f of folders) {
  const file = path.join(root, 'reports/mutation', `${reportName(f)}.json`);
  if (!existsSync(file)) continue;
  const report = JSON.parse(readFileSync(file, 'utf8'));
  const n = {
    Killed: 0,
    Timeout: 0,
    Survived: 0,
    NoCoverage: 0,
    Ignored: 0,
    CompileError: 0,
    RuntimeError: 0,
  };
  for (const fileResult of Object.values(report.files))
    for (const m of fileResult.mutants) n[m.status] = (n[m.status] ?? 0) + 1;
  const detected = n.Killed + n.Timeout;
  const valid = detected + n.Survived + n.NoCoverage;
  rows.push({
    folder: `src/core/${f === '.' ? '' : f + '/'}`,
    killed: n.Killed,
    timeout: n.Timeout,
    survived: n.Survived,
    noCoverage: n.NoCoverage,
    ignored: n.Ignored,
    errors: n.CompileError + n.RuntimeError,
    score: valid ? Math.round((1000 * detected) / valid) / 10 : null,
    wallSeconds: walls[reportName(f)] ?? null,
  });
}
console.log(JSON.stringify(rows, null, 1));
console.table(rows);
