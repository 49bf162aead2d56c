/** Node file I/O for trained models (model.json + weights.bin) and training checkpoints. */
import { existsSync, statSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { loadModel, type ModelJSON } from '../core/model/format';
import type { Engine, SRNetwork } from '../core/model/network';

/** Write `bytes` to `file` through a temporary file and a rename, so readers never see half. */
export async function writeAtomic(file: string, bytes: Uint8Array | string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  await writeFile(tmp, bytes);
  await rename(tmp, file);
}

/** Save a serialised model into `dir` (weights first, model.json last). */
export async function writeModelDir(
  dir: string,
  model: { json: ModelJSON; weights: ArrayBuffer },
): Promise<void> {
  const bin = model.json.weightsManifest[0].paths[0];
  await writeAtomic(path.join(dir, bin), new Uint8Array(model.weights));
  await writeAtomic(path.join(dir, 'model.json'), JSON.stringify(model.json, null, 1) + '\n');
}

/** `models/name`, `models/name/` or `models/name/model.json` → the model.json path. */
export function modelJsonPath(p: string): string {
  return existsSync(p) && statSync(p).isDirectory() ? path.join(p, 'model.json') : p;
}

/** Does `p` look like a saved model (a folder with model.json, or a model.json file)? */
export function isModelPath(p: string): boolean {
  const f = modelJsonPath(p);
  return existsSync(f) && statSync(f).isFile();
}

/** Load a saved model from a folder or its model.json; errors name the file. */
export async function readModelDir(
  p: string,
  opts: { engine?: Engine } = {},
): Promise<{ net: SRNetwork; json: ModelJSON }> {
  const { json, weights } = await readModelFiles(p);
  try {
    return loadModel({ json, weights }, opts);
  } catch (e) {
    throw new Error(`${modelJsonPath(p)}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** The raw model.json (parsed, unvalidated) and weights bytes of a model folder. */
export async function readModelFiles(p: string): Promise<{ json: unknown; weights: ArrayBuffer }> {
  const file = modelJsonPath(p);
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new Error(`${file}: no such model (model.json missing)`);
    throw new Error(`${file}: cannot read model.json (${e instanceof Error ? e.message : e})`);
  }
  const m = json as { weightsManifest?: { paths?: string[] }[] };
  const bin = m?.weightsManifest?.[0]?.paths?.[0];
  if (typeof bin !== 'string' || bin.includes('..') || path.isAbsolute(bin))
    throw new Error(`${file}: weightsManifest[0].paths[0] must be a file name beside model.json`);
  const binPath = path.join(path.dirname(file), bin);
  let bytes: Buffer;
  try {
    bytes = await readFile(binPath);
  } catch {
    throw new Error(`${binPath}: weights file missing`);
  }
  const weights = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  return { json, weights: weights as ArrayBuffer };
}
