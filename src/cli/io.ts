/** Node file I/O for images and the benchmark datasets (used by the CLI and by tests). */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Image } from '../core/image/image';
import { decodeImage, encodeImage, type ImageFormat } from '../node/image/codecNode';

/** Read and decode a PNG/JPEG file; errors name the file. */
export async function readImage(file: string): Promise<Image> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new Error(`${file}: no such file`);
    if (code === 'EISDIR') throw new Error(`${file}: is a directory, not an image`);
    throw new Error(`${file}: cannot read (${code ?? String(e)})`);
  }
  try {
    return decodeImage(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  } catch (e) {
    throw new Error(`${file}: cannot decode image (${e instanceof Error ? e.message : e})`);
  }
}

/** Output format from the extension: .jpg/.jpeg -> JPEG, anything else -> PNG. */
export function formatFor(file: string): ImageFormat {
  return /\.jpe?g$/i.test(file) ? 'jpeg' : 'png';
}

/**
 * Write an output file, creating its parent folders first (every CLI output path may name a
 * folder that does not exist yet, as the README's `runs/...` examples do on a fresh clone).
 */
export async function writeOutput(file: string, data: string | Uint8Array): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, data);
}

export async function writeImage(file: string, img: Image, quality?: number): Promise<void> {
  const bytes = encodeImage(img, formatFor(file), quality);
  try {
    await writeOutput(file, bytes);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new Error(`${file}: cannot write (${code ?? String(e)})`);
  }
}

/** The repository root (this file is src/cli/io.ts). */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * The shared benchmark datasets folder: $SRBNAS_DATASETS, else ../shared/datasets beside the
 * clone (where CI puts it). Returns undefined when absent (tests then skip).
 */
export function findDatasets(): string | undefined {
  const dir = process.env.SRBNAS_DATASETS ?? path.resolve(REPO_ROOT, '../shared/datasets');
  return existsSync(dir) ? dir : undefined;
}

export interface PairFiles {
  name: string;
  hr: string;
  lr: string;
}

/**
 * HR/LR file pairs of one benchmark set at one scale: <dir>/<set>/x<scale>/{HR,LR}/<name>.png,
 * sorted by name. Throws a clear message when the folder or a partner file is missing.
 */
export function listPairs(dir: string, set: string, scale: number): PairFiles[] {
  const base = path.join(dir, set, `x${scale}`);
  const hrDir = path.join(base, 'HR');
  const lrDir = path.join(base, 'LR');
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new Error(`${dir}: datasets folder not found`);
  }
  if (!existsSync(hrDir) || !existsSync(lrDir)) {
    throw new Error(`${base}: no HR/ and LR/ folders (is '${set}' at x${scale} in ${dir}?)`);
  }
  const names = readdirSync(hrDir)
    .filter((f) => /\.(png|jpe?g)$/i.test(f))
    .sort();
  if (names.length === 0) throw new Error(`${hrDir}: no images`);
  return names.map((f) => {
    const lr = path.join(lrDir, f);
    if (!existsSync(lr)) throw new Error(`${lr}: LR partner of ${path.join(hrDir, f)} is missing`);
    return { name: f.replace(/\.[^.]+$/, ''), hr: path.join(hrDir, f), lr };
  });
}
