/**
 * One-file container: [magic "SRBC"][uint32 LE header length][UTF-8 JSON header][float32 data].
 * Checkpoints use it so the state and its tensors are written (and renamed into place) as ONE
 * file: a run killed mid-write never leaves a header that disagrees with its weights.
 */
const MAGIC = 0x43425253; // "SRBC" little-endian

export function pack(header: unknown, data: ArrayBuffer): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header));
  // Pad the header so the float32 data starts 4-byte aligned.
  const hlen = Math.ceil(json.length / 4) * 4;
  const out = new Uint8Array(8 + hlen + data.byteLength);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, MAGIC, true);
  dv.setUint32(4, hlen, true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + hlen); // spaces: still valid JSON
  out.set(new Uint8Array(data), 8 + hlen);
  return out;
}

export function unpack(
  bytes: Uint8Array,
  what = 'checkpoint',
): { header: unknown; data: ArrayBuffer } {
  if (bytes.length < 8) throw new Error(`${what}: truncated file`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (dv.getUint32(0, true) !== MAGIC) throw new Error(`${what}: not an srbnas checkpoint`);
  const hlen = dv.getUint32(4, true);
  if (8 + hlen > bytes.length) throw new Error(`${what}: truncated header`);
  const header: unknown = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + hlen)));
  const data = bytes.slice(8 + hlen).buffer;
  return { header, data };
}
