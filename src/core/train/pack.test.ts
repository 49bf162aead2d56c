import { describe, expect, it } from 'vitest';
import { pack, unpack } from './pack';

describe('pack / unpack (checkpoint container)', () => {
  it('round-trips headers of every length mod 4, with the data 4-byte aligned', () => {
    const data = new Float32Array([1.5, -2, 3.25]).buffer;
    for (const note of ['', 'a', 'ab', 'abc', 'abcd']) {
      const header = { note };
      const json = JSON.stringify(header).length;
      const bytes = pack(header, data);
      const hlen = Math.ceil(json / 4) * 4;
      expect(bytes.length).toBe(8 + hlen + 12);
      expect(new DataView(bytes.buffer).getUint32(4, true)).toBe(hlen);
      const back = unpack(bytes);
      expect(back.header).toEqual(header);
      expect(Array.from(new Float32Array(back.data))).toEqual([1.5, -2, 3.25]);
    }
  });

  it('a header with no data after it is complete; one byte less is truncated', () => {
    const bytes = pack({ a: 1 }, new ArrayBuffer(0));
    expect(unpack(bytes).header).toEqual({ a: 1 });
    expect(unpack(bytes).data.byteLength).toBe(0);
    expect(() => unpack(bytes.subarray(0, bytes.length - 1), 'model')).toThrow(
      'model: truncated header',
    );
  });

  it('names what it reads in its errors', () => {
    expect(() => unpack(new Uint8Array(7))).toThrow('checkpoint: truncated file');
    expect(() => unpack(new Uint8Array(7), 'resume file')).toThrow('resume file: truncated file');
    expect(() => unpack(new Uint8Array(16))).toThrow('checkpoint: not an srbnas checkpoint');
  });
});
