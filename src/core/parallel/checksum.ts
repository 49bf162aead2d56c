/**
 * FNV-1a over the exact bit patterns of float32 arrays: two replicas are identical iff (with
 * overwhelming probability) their checksums are equal. Not a sum of values, which would hide
 * compensating differences and ±0.
 */
export function checksumFloat32(arrays: Float32Array[]): string {
  let h = 0x811c9dc5;
  for (const a of arrays) {
    const u = new Uint32Array(a.buffer, a.byteOffset, a.length);
    for (let i = 0; i < u.length; i++) {
      let x = u[i];
      for (let b = 0; b < 4; b++) {
        h ^= x & 0xff;
        h = Math.imul(h, 0x01000193);
        x >>>= 8;
      }
    }
    h ^= a.length;
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}
