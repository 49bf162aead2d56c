import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { readImageFile } from '../../browser/image/readImageFile';
import { createImage, type Image } from '../../core/image/image';
import { encodePng } from '../../node/image/codecNode';
import { Rng } from '../../core/rng';
import { readTrainingImage } from './images';
import { readStudioInput } from '../studio/inputFile';

/**
 * The platform decoder stood in for by pngjs (what createImageBitmap + a canvas give: RGBA
 * bytes, unpremultiplied), so the whole read path runs in Node.
 */
const decodes = vi.fn();
beforeAll(() => {
  vi.stubGlobal('createImageBitmap', async (blob: Blob) => {
    decodes();
    const png = PNG.sync.read(Buffer.from(await blob.arrayBuffer()));
    return { width: png.width, height: png.height, rgba: png.data, close() {} };
  });
  vi.stubGlobal(
    'OffscreenCanvas',
    class {
      getContext() {
        let drawn: { rgba: Uint8Array } | null = null;
        return {
          drawImage: (bm: { rgba: Uint8Array }) => (drawn = bm),
          getImageData: () => ({ data: new Uint8ClampedArray(drawn!.rgba) }),
        };
      }
    },
  );
});
afterAll(() => vi.unstubAllGlobals());

function noise(w: number, h: number, c: 1 | 3 | 4): Image {
  const img = createImage(w, h, c);
  const rng = new Rng(w * h + c);
  for (let i = 0; i < img.data.length; i++) img.data[i] = rng.int(256);
  if (c === 4) img.data[3] = 7;
  return img;
}
const file = (bytes: Uint8Array, type = 'image/png') =>
  new Blob([bytes as Uint8Array<ArrayBuffer>], { type });
const png = (img: Image) => file(encodePng(img));
const LIMITS = { maxPixels: 10_000, maxSide: 120 };

describe('readImageFile (both pages)', () => {
  it("gives the file's pixels exactly (RGB, RGBA)", async () => {
    for (const c of [3, 4] as const) {
      const img = noise(33, 21, c);
      const got = await readImageFile(png(img), 'a.png', LIMITS);
      expect(got).toMatchObject({ name: 'a.png', format: 'png' });
      expect(got.image.channels).toBe(c);
      expect(Buffer.from(got.image.data)).toEqual(Buffer.from(img.data));
    }
  });

  it('refuses empty files, non-images and corrupt files, naming the file', async () => {
    await expect(readImageFile(file(new Uint8Array(0)), 'e.png', LIMITS)).rejects.toThrow(
      'e.png: the file is empty',
    );
    const text = file(new TextEncoder().encode('hello, not an image'), 'text/plain');
    await expect(readImageFile(text, 'notes.txt', LIMITS)).rejects.toThrow(
      'notes.txt: not an image',
    );
    const cut = encodePng(noise(40, 40, 3)).subarray(0, 80);
    await expect(readImageFile(file(cut), 'c.png', LIMITS)).rejects.toThrow(
      'c.png: the PNG file is corrupt or truncated',
    );
  });

  it('refuses a declared size above the limits before decoding', async () => {
    const big = encodePng(noise(8, 8, 3));
    const dv = new DataView(big.buffer, big.byteOffset);
    dv.setUint32(16, 5000); // IHDR width
    dv.setUint32(20, 4000); // IHDR height
    decodes.mockClear();
    await expect(readImageFile(file(big), 'big.png', LIMITS)).rejects.toThrow(
      'big.png: 5000×4000 (20.0 MP) is above the input limit of 0.0 MP (e.g. 100×100)',
    );
    await expect(readImageFile(png(noise(121, 2, 3)), 'wide.png', LIMITS)).rejects.toThrow(
      'wide.png: 121×2 is too large (limit 120 px a side)',
    );
    expect(decodes).not.toHaveBeenCalled();
  });

  it('is what the playground and the studio read files with', async () => {
    const t = await readTrainingImage(png(noise(40, 32, 3)), 't.png', 'user');
    expect([t.name, t.source, t.image.width, t.image.height]).toEqual(['t.png', 'user', 40, 32]);
    await expect(readTrainingImage(png(noise(20, 40, 3)), 's.png', 'user')).rejects.toThrow(
      's.png: 20×40 is too small for training patches',
    );
    await expect(readTrainingImage(file(new Uint8Array(0)), 'e.png', 'user')).rejects.toThrow(
      'e.png: the file is empty',
    );
    const gray = noise(16, 16, 1);
    const s = await readStudioInput(png(gray), 'g.png');
    expect(s.image.channels).toBe(1);
    expect(Buffer.from(s.image.data)).toEqual(Buffer.from(gray.data));
    expect(s.notes.join()).toContain('grayscale');
    expect((await readStudioInput(png(noise(9, 9, 4)), 'a.png')).notes.join()).toContain(
      'alpha channel kept',
    );
    await expect(readStudioInput(file(new Uint8Array(0)), 'e.png')).rejects.toThrow(
      'e.png: the file is empty',
    );
  });
});
