import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { gifFrames, sniffImage } from './sniff';

/** An n-frame 1×1 GIF with a global colour table (header, n × (GCE + descriptor + data)). */
function gif(n: number): Uint8Array {
  const frame = [0x21, 0xf9, 4, 0, 10, 0, 0, 0, 0x2c, 0, 0, 0, 0, 1, 0, 1, 0, 0, 2, 2, 0x44, 1, 0];
  const head = [...'GIF89a'].map((c) => c.charCodeAt(0));
  return new Uint8Array([
    ...head,
    1,
    0,
    1,
    0,
    0x80,
    0,
    0,
    255,
    0,
    0,
    0,
    0,
    255,
    ...Array.from({ length: n }, () => frame).flat(),
    0x3b,
  ]);
}

describe('sniffImage', () => {
  it('reads PNG size from IHDR and no animation', () => {
    const p = new PNG({ width: 7, height: 5 });
    const s = sniffImage(new Uint8Array(PNG.sync.write(p)));
    expect(s).toEqual({ format: 'png', width: 7, height: 5 });
  });

  it('counts GIF frames through extensions and colour tables', () => {
    expect(gifFrames(gif(1))).toBe(1);
    expect(gifFrames(gif(3))).toBe(3);
    expect(sniffImage(gif(2))).toEqual({ format: 'gif', width: 1, height: 1, frames: 2 });
  });

  it('reads a baseline JPEG SOF0 size and refuses text', () => {
    // SOI, APP0 (len 4, 2 payload bytes), SOF0 (len 11): precision 8, height 300, width 400.
    const jpg = new Uint8Array([
      0xff, 0xd8, 0xff, 0xe0, 0, 4, 0, 0, 0xff, 0xc0, 0, 11, 8, 0x01, 0x2c, 0x01, 0x90, 3, 0, 0,
    ]);
    expect(sniffImage(jpg)).toEqual({ format: 'jpeg', width: 400, height: 300 });
    expect(sniffImage(new TextEncoder().encode('hello world')).format).toBe('unknown');
  });
});
