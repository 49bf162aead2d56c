/**
 * What a file's first bytes say before any decoding: the format, the declared size (so an
 * enormous image is refused before the browser tries to allocate it) and whether it is
 * animated (GIF with several frames, APNG). Pure; no DOM.
 */
export interface Sniffed {
  format: 'png' | 'jpeg' | 'gif' | 'webp' | 'unknown';
  width?: number;
  height?: number;
  /** Frames in a GIF (counted), or APNG's declared frame count. */
  frames?: number;
}

const ascii = (b: Uint8Array, at: number, n: number) =>
  String.fromCharCode(...b.subarray(at, at + n));

export function sniffImage(b: Uint8Array): Sniffed {
  if (b.length >= 24 && b[0] === 0x89 && ascii(b, 1, 3) === 'PNG') {
    const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
    const out: Sniffed = { format: 'png', width: dv.getUint32(16), height: dv.getUint32(20) };
    // APNG: an acTL chunk before the first IDAT declares the frame count.
    for (let p = 8; p + 8 <= b.length;) {
      const len = dv.getUint32(p);
      const type = ascii(b, p + 4, 4);
      if (type === 'acTL' && p + 12 <= b.length) out.frames = dv.getUint32(p + 8);
      if (type === 'IDAT' || type === 'IEND') break;
      p += 12 + len;
    }
    return out;
  }
  if (b.length >= 10 && ascii(b, 0, 4) === 'GIF8') {
    return {
      format: 'gif',
      width: b[6] | (b[7] << 8),
      height: b[8] | (b[9] << 8),
      frames: gifFrames(b),
    };
  }
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return jpegSize(b);
  if (b.length >= 12 && ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 4) === 'WEBP') return webpSize(b);
  return { format: 'unknown' };
}

/** Count image descriptors by walking the GIF block structure (stops at a truncation). */
export function gifFrames(b: Uint8Array): number {
  let p = 13;
  if (b[10] & 0x80) p += 3 * (1 << ((b[10] & 7) + 1)); // global colour table
  const skipSubBlocks = () => {
    while (p < b.length && b[p] !== 0) p += b[p] + 1;
    p++;
  };
  let frames = 0;
  while (p < b.length) {
    const k = b[p];
    if (k === 0x3b) break; // trailer
    if (k === 0x21) {
      p += 2; // extension introducer + label
      skipSubBlocks();
    } else if (k === 0x2c) {
      frames++;
      const packed = b[p + 9];
      p += 10;
      if (packed & 0x80) p += 3 * (1 << ((packed & 7) + 1)); // local colour table
      p++; // LZW minimum code size
      skipSubBlocks();
    } else break;
  }
  return frames;
}

function jpegSize(b: Uint8Array): Sniffed {
  for (let p = 2; p + 9 < b.length;) {
    if (b[p] !== 0xff) return { format: 'jpeg' };
    const m = b[p + 1];
    const len = (b[p + 2] << 8) | b[p + 3];
    // SOF0..SOF15 except DHT (C4), JPG (C8), DAC (CC) carry the frame size.
    if (m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc)
      return {
        format: 'jpeg',
        height: (b[p + 5] << 8) | b[p + 6],
        width: (b[p + 7] << 8) | b[p + 8],
      };
    p += 2 + len;
  }
  return { format: 'jpeg' };
}

function webpSize(b: Uint8Array): Sniffed {
  const chunk = ascii(b, 12, 4);
  const u24 = (p: number) => b[p] | (b[p + 1] << 8) | (b[p + 2] << 16);
  if (chunk === 'VP8X' && b.length >= 30)
    return {
      format: 'webp',
      width: u24(24) + 1,
      height: u24(27) + 1,
      ...(b[20] & 0x02 ? { frames: 2 } : {}),
    };
  if (chunk === 'VP8 ' && b.length >= 30)
    return {
      format: 'webp',
      width: (b[26] | (b[27] << 8)) & 0x3fff,
      height: (b[28] | (b[29] << 8)) & 0x3fff,
    };
  if (chunk === 'VP8L' && b.length >= 25) {
    const bits = b[21] | (b[22] << 8) | (b[23] << 16) | (b[24] << 24);
    return { format: 'webp', width: (bits & 0x3fff) + 1, height: ((bits >> 14) & 0x3fff) + 1 };
  }
  return { format: 'webp' };
}
