import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { decodeImage } from '../image/codecNode';
import type { Image } from '../../core/image/image';

/**
 * Decode every PNG/JPEG in a folder (Node only), sorted by name so a seed means the same
 * split and crops on every machine.
 */
export async function loadImageDir(dir: string): Promise<{ name: string; image: Image }[]> {
  const names = (await readdir(dir)).filter((n) => /\.(png|jpe?g)$/i.test(n)).sort();
  if (names.length === 0) throw new Error(`no PNG or JPEG images in ${dir}`);
  const out: { name: string; image: Image }[] = [];
  for (const name of names) {
    const bytes = await readFile(path.join(dir, name));
    try {
      out.push({ name, image: decodeImage(new Uint8Array(bytes)) });
    } catch (e) {
      throw new Error(`${name}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  return out;
}
