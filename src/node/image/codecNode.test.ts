import { crc32, deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeImage, decodePng, encodeJpeg, encodePng, sniffFormat } from './codecNode';
import { createImage, type Channels, type Image } from '../../core/image/image';
import { lumaY } from '../../core/image/color';
import { psnr } from '../../core/metrics/psnr';

function noiseImage(w: number, h: number, c: Channels, smooth = false): Image {
  const img = createImage(w, h, c);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++)
      for (let k = 0; k < c; k++) {
        const i = (y * w + x) * c + k;
        img.data[i] = smooth
          ? Math.round(127 + 100 * Math.sin(x / 7 + k) * Math.cos(y / 9))
          : (x * 31 + y * 17 + k * 101 + ((x * y) % 13) * 9) % 256;
      }
  return img;
}

/** A minimal grayscale PNG written by hand (filter 0 on every row), independent of pngjs. */
function handMadeGrayPng(w: number, h: number, pixels: number[]): Uint8Array {
  const chunk = (type: string, body: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(body.length);
    const tb = Buffer.concat([Buffer.from(type, 'ascii'), body]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(tb));
    return Buffer.concat([len, tb, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr.set([8, 0, 0, 0, 0], 8); // depth 8, colour type 0 (gray)
  const raw = Buffer.alloc(h * (w + 1));
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) raw[y * (w + 1) + 1 + x] = pixels[y * w + x];
  const sig = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return new Uint8Array(
    Buffer.concat([
      sig,
      chunk('IHDR', ihdr),
      chunk('IDAT', deflateSync(raw)),
      chunk('IEND', Buffer.alloc(0)),
    ]),
  );
}

describe('PNG', () => {
  it('decodes an 8-bit grayscale PNG as 1 channel with the exact samples', () => {
    const px = [0, 17, 255, 128, 3, 99, 200, 64, 1, 254, 77, 33];
    const img = decodePng(handMadeGrayPng(4, 3, px));
    expect([img.width, img.height, img.channels]).toEqual([4, 3, 1]);
    expect(Array.from(img.data)).toEqual(px);
  });

  it('round-trips gray, RGB and RGBA losslessly', () => {
    for (const c of [1, 3, 4] as const) {
      const img = noiseImage(13, 7, c);
      if (c === 4) img.data[3] = 10; // not fully opaque, so alpha is kept
      const back = decodeImage(encodePng(img));
      expect([back.width, back.height, back.channels]).toEqual([13, 7, c]);
      expect(back.data).toEqual(img.data);
    }
  });

  it('drops a fully opaque alpha channel', () => {
    const img = noiseImage(5, 5, 4);
    for (let i = 3; i < img.data.length; i += 4) img.data[i] = 255;
    expect(decodeImage(encodePng(img)).channels).toBe(3);
  });

  it('refuses oversized images before decoding and garbage with a clear message', () => {
    const png = encodePng(noiseImage(100, 100, 3));
    expect(() => decodePng(png, 5000)).toThrow(/100x100, above the limit/);
    expect(() => decodeImage(new Uint8Array([1, 2, 3, 4]))).toThrow(/not a PNG or JPEG/);
    const truncated = png.slice(0, 60);
    expect(() => decodeImage(truncated)).toThrow();
  });
});

describe('JPEG', () => {
  it('round-trips a smooth image with high PSNR and the right size', () => {
    const img = noiseImage(40, 24, 3, true);
    const bytes = encodeJpeg(img, 95);
    expect(sniffFormat(bytes)).toBe('jpeg');
    const back = decodeImage(bytes);
    expect([back.width, back.height, back.channels]).toEqual([40, 24, 3]);
    const p = psnr(
      { width: 40, height: 24, data: lumaY(img) },
      { width: 40, height: 24, data: lumaY(back) },
    );
    expect(p).toBeGreaterThan(35);
  });
});
