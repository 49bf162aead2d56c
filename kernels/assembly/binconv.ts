// Binary group conv on bit-packed activations and weights (XNOR + popcount, SIMD128), the
// packed engine's kernel for the WASM backend. The popcount of a XOR w is read from two 16-entry
// tables per weight byte, one per nibble of a (see binConvRow): two byte shuffles instead of
// WASM's i8x16.popcnt, which x64 engines emulate in about 8 instructions. Built twice: with
// relaxed SIMD (relaxed_swizzle is one x64 pshufb) and without (swizzle adds a range fix-up). AssemblyScript; built by scripts/build-kernels.mjs
// into src/core/kernels/binconvWasm.ts (checked against this source by a test).
//
// The module owns no memory: it imports tfjs-wasm's heap ("env.memory"), so it reads the
// op's input and writes its output tensor in place, with no copy. Every argument named *Ptr is a
// byte offset into that heap. No static data, no allocation (runtime stub): the module never
// writes outside the buffers it is given.
//
// What it computes is docs/model-format.md §3 steps 5–7 for one binary op:
//   a = sign(x − τ) (sign(0) = +1), dot_o = Σ_{taps inside the image} Σ_{group's channels} a·B,
//   out_o = x_o + f32(dot_o) · scale_o.
//
// Layouts:
//  - x, out: NHWC float32 [H, W, C] (N = 1).
//  - planes: the binarised input, one byte plane per 8 channels of a group (ppg = ⌈cg/8⌉ planes
//    per group; plane p = g·ppg + q holds channels g·cg + 8q + i at bit i, bit 1 = +1), stored
//    as two nibble planes: the low nibble of each byte in plane p, the high nibble in plane
//    P + p (P = groups·ppg). Each plane is (H + 2R) rows of `wp` bytes, pixel (y, x) at row
//    y + R, column x + R, and every byte outside the image is 0, so a 16-pixel vector load
//    never leaves the plane.
//  - wBytes: the weight bits in the same byte form, byte (o·k² + a·k + b)·ppg + q, for output
//    channel o (global index), tap (a, b), plane q of o's group; unused bits are 0 (as in the
//    planes, so padding bits never differ).
//  - pc (i32 [C·k²]): popcount of each (o, tap) summed over planes; rowPc (i32 [C·k]) and
//    colPc (i32 [C·k]) its sums over b and over a. With zero bytes outside the image, a tap
//    outside counts popcount(w) mismatches; border pixels subtract exactly those.

// a XOR w has a 1 wherever the signs differ, so Σ a·B over n valid products = n − 2·mismatches.

/**
 * Binarise rows y0 … y1 − 1 of x − τ into byte planes (see the header); the planes must be zero
 * outside the image already (binConv clears them once per call).
 */
function packRows(
  xPtr: usize,
  tauPtr: usize,
  h: i32,
  w: i32,
  c: i32,
  groups: i32,
  r: i32,
  wp: i32,
  planesPtr: usize,
  y0: i32,
  y1: i32,
): void {
  const cg = c / groups;
  const ppg = (cg + 7) >> 3;
  const planeSize = <usize>((h + 2 * r) * wp);
  const hiOff = <usize>(groups * ppg) * planeSize;
  const zero = f32x4.splat(0);
  if ((cg & 7) == 0) {
    // 8 channels → one byte: two f32x4 compares, two 4-bit masks.
    for (let y = y0; y < y1; y++) {
      const rowOff = <usize>((y + r) * wp + r);
      for (let xx = 0; xx < w; xx++) {
        const px = xPtr + (<usize>(y * w + xx) * <usize>c << 2);
        const dst = planesPtr + rowOff + <usize>xx;
        for (let p = 0; p < groups * ppg; p++) {
          const ch = <usize>(p << 3) << 2;
          const d0 = f32x4.sub(v128.load(px + ch), v128.load(tauPtr + ch));
          const d1 = f32x4.sub(v128.load(px + ch + 16), v128.load(tauPtr + ch + 16));
          const at = dst + <usize>p * planeSize;
          store<u8>(at, <u8>i32x4.bitmask(f32x4.ge(d0, zero)));
          store<u8>(at + hiOff, <u8>i32x4.bitmask(f32x4.ge(d1, zero)));
        }
      }
    }
    return;
  }
  for (let y = y0; y < y1; y++) {
    const rowOff = <usize>((y + r) * wp + r);
    for (let xx = 0; xx < w; xx++) {
      const px = xPtr + (<usize>(y * w + xx) * <usize>c << 2);
      for (let g = 0; g < groups; g++) {
        for (let q = 0; q < ppg; q++) {
          let byte = 0;
          const n = min(8, cg - 8 * q);
          for (let i = 0; i < n; i++) {
            const ch = <usize>(g * cg + 8 * q + i) << 2;
            if (load<f32>(px + ch) - load<f32>(tauPtr + ch) >= 0) byte |= 1 << i;
          }
          const at = planesPtr + <usize>(g * ppg + q) * planeSize + rowOff + <usize>xx;
          store<u8>(at, <u8>(byte & 15));
          store<u8>(at + hiOff, <u8>(byte >> 4));
        }
      }
    }
  }
}

/**
 * base[slot·C + o] = cg·nValid + 2·corr_o for output row y's tap-row range, one slot per
 * column class: slots 0 … r−1 are x = 0 … r−1, slot r every interior x, slots r+1 … 2r are
 * x = w−r … w−1. nValid counts the taps inside the image, corr_o the ones of o's weight bytes at
 * the taps outside (those read zero bytes, so the tap loop counted popcount(w) mismatches
 * there). Then dot_o = base − 2·m for the mismatch count m over all k² taps (integers, exact).
 */
function fillBase(
  aLo: i32,
  aHi: i32,
  w: i32,
  c: i32,
  cg: i32,
  k: i32,
  d: i32,
  r: i32,
  pcPtr: usize,
  basePtr: usize,
): void {
  const kc = (k - 1) >> 1;
  const kk = k * k;
  for (let slot = 0; slot <= 2 * r; slot++) {
    const xx = slot < r ? slot : slot == r ? r : w - r + (slot - r - 1);
    if (xx < 0 || xx >= w) continue; // a slot this width never uses
    if (slot == r && xx >= w - r) continue; // no interior column
    let bLo = 0;
    while (bLo < k && xx + (bLo - kc) * d < 0) bLo++;
    let bHi = k;
    while (bHi > bLo && xx + (bHi - 1 - kc) * d >= w) bHi--;
    const nValid = (aHi - aLo) * (bHi - bLo);
    for (let o = 0; o < c; o++) {
      let corr = 0;
      const pp = pcPtr + (<usize>(o * kk) << 2);
      for (let a = 0; a < k; a++)
        for (let b = 0; b < k; b++)
          if (a < aLo || a >= aHi || b < bLo || b >= bHi)
            corr += load<i32>(pp + (<usize>(a * k + b) << 2));
      store<i32>(basePtr + (<usize>(slot * c + o) << 2), cg * nValid + 2 * corr);
    }
  }
}

/** The base-table slot of column xx (see fillBase). */
// @ts-ignore: decorator
@inline
function slotOf(xx: i32, w: i32, r: i32): i32 {
  return xx < r ? xx : xx >= w - r ? r + 1 + xx - (w - r) : r;
}

/**
 * One output pixel, 4 output channels from oBase: out = [add +] (x + f32(base − 2·m) · scale).
 * dot is an integer of at most 2^15, exact in f32; then one rounded multiply and one rounded
 * add (and the node sum's add), the float engine's order, so the results are equal.
 */
// @ts-ignore: decorator
@inline
function epilogue4(
  m: v128,
  xx: i32,
  pxByte: usize,
  w: i32,
  r: i32,
  c: i32,
  xPtr: usize,
  addPtr: usize,
  outPtr: usize,
  basePtr: usize,
  scale: v128,
  oByte: usize,
  interior: bool,
  baseInterior: v128,
): void {
  const base = interior
    ? baseInterior
    : v128.load(basePtr + (<usize>(slotOf(xx, w, r) * c) << 2) + oByte);
  const dot = f32x4.convert_i32x4_s(i32x4.sub(base, i32x4.shl(m, 1)));
  let v = f32x4.add(v128.load(xPtr + pxByte + oByte), f32x4.mul(dot, scale));
  if (addPtr) v = f32x4.add(v128.load(addPtr + pxByte + oByte), v);
  v128.store(outPtr + pxByte + oByte, v);
}

/**
 * Add 2 byte counters (16 pixels × 2 channels, lanes = pixels) to their 16-bit sums at `accPtr`
 * (channel j: low 8 pixels at + 32·j, high 8 at + 32·j + 16).
 */
// @ts-ignore: decorator
@inline
function widen2(accPtr: usize, a0: v128, a1: v128): void {
  v128.store(accPtr, i16x8.add(v128.load(accPtr), i16x8.extend_low_i8x16_u(a0)));
  v128.store(accPtr + 16, i16x8.add(v128.load(accPtr + 16), i16x8.extend_high_i8x16_u(a0)));
  v128.store(accPtr + 32, i16x8.add(v128.load(accPtr + 32), i16x8.extend_low_i8x16_u(a1)));
  v128.store(accPtr + 48, i16x8.add(v128.load(accPtr + 48), i16x8.extend_high_i8x16_u(a1)));
}

/**
 * The epilogue of one block: 16 pixels from x0 (npx of them inside the row) × channels oBase …
 * oBase + nO − 1, their mismatch counts at `accPtr` (widen4's layout), into the output.
 */
function epilogueBlock(
  accPtr: usize,
  x0: i32,
  npx: i32,
  oBase: i32,
  nO: i32,
  y: i32,
  w: i32,
  r: i32,
  c: i32,
  xPtr: usize,
  scalePtr: usize,
  addPtr: usize,
  outPtr: usize,
  basePtr: usize,
): void {
  const oByte = <usize>oBase << 2;
  const rowByte = <usize>(y * w + x0) * <usize>c << 2;
  const pxStride = <usize>c << 2;
  if (npx == 16 && nO == 4) {
    const lo0 = v128.load(accPtr), hi0 = v128.load(accPtr + 16);
    const lo1 = v128.load(accPtr + 32), hi1 = v128.load(accPtr + 48);
    const lo2 = v128.load(accPtr + 64), hi2 = v128.load(accPtr + 80);
    const lo3 = v128.load(accPtr + 96), hi3 = v128.load(accPtr + 112);
    const scale = v128.load(scalePtr + oByte);
    // Blocks clear of the left and right borders share one base (slot r).
    const interior = x0 >= r && x0 + 16 <= w - r;
    const baseI = v128.load(basePtr + (<usize>(r * c) << 2) + oByte);
    // Transpose: lane p of loj is pixel p, channel j; the epilogue wants pixel p's
    // 4 channels in one i32x4. Interleave 16-bit lanes of (0, 1) and (2, 3), then
    // 32-bit lanes of those: [p, o0..o3, p+1, o0..o3] as i16x8.
    const a01 = i16x8.shuffle(lo0, lo1, 0, 8, 1, 9, 2, 10, 3, 11);
    const a23 = i16x8.shuffle(lo2, lo3, 0, 8, 1, 9, 2, 10, 3, 11);
    const b01 = i16x8.shuffle(lo0, lo1, 4, 12, 5, 13, 6, 14, 7, 15);
    const b23 = i16x8.shuffle(lo2, lo3, 4, 12, 5, 13, 6, 14, 7, 15);
    const c01 = i16x8.shuffle(hi0, hi1, 0, 8, 1, 9, 2, 10, 3, 11);
    const c23 = i16x8.shuffle(hi2, hi3, 0, 8, 1, 9, 2, 10, 3, 11);
    const d01 = i16x8.shuffle(hi0, hi1, 4, 12, 5, 13, 6, 14, 7, 15);
    const d23 = i16x8.shuffle(hi2, hi3, 4, 12, 5, 13, 6, 14, 7, 15);
    let p01 = i32x4.shuffle(a01, a23, 0, 4, 1, 5);
    let p23 = i32x4.shuffle(a01, a23, 2, 6, 3, 7);
    let p45 = i32x4.shuffle(b01, b23, 0, 4, 1, 5);
    let p67 = i32x4.shuffle(b01, b23, 2, 6, 3, 7);
    let px = rowByte;
    for (let half = 0; half < 2; half++) {
      const xh = x0 + (half << 3);
      if (half == 1) {
        p01 = i32x4.shuffle(c01, c23, 0, 4, 1, 5);
        p23 = i32x4.shuffle(c01, c23, 2, 6, 3, 7);
        p45 = i32x4.shuffle(d01, d23, 0, 4, 1, 5);
        p67 = i32x4.shuffle(d01, d23, 2, 6, 3, 7);
      }
      epilogue4(i32x4.extend_low_i16x8_u(p01), xh, px, w, r, c, xPtr, addPtr, outPtr, basePtr, scale, oByte, interior, baseI);
      px += pxStride;
      epilogue4(i32x4.extend_high_i16x8_u(p01), xh + 1, px, w, r, c, xPtr, addPtr, outPtr, basePtr, scale, oByte, interior, baseI);
      px += pxStride;
      epilogue4(i32x4.extend_low_i16x8_u(p23), xh + 2, px, w, r, c, xPtr, addPtr, outPtr, basePtr, scale, oByte, interior, baseI);
      px += pxStride;
      epilogue4(i32x4.extend_high_i16x8_u(p23), xh + 3, px, w, r, c, xPtr, addPtr, outPtr, basePtr, scale, oByte, interior, baseI);
      px += pxStride;
      epilogue4(i32x4.extend_low_i16x8_u(p45), xh + 4, px, w, r, c, xPtr, addPtr, outPtr, basePtr, scale, oByte, interior, baseI);
      px += pxStride;
      epilogue4(i32x4.extend_high_i16x8_u(p45), xh + 5, px, w, r, c, xPtr, addPtr, outPtr, basePtr, scale, oByte, interior, baseI);
      px += pxStride;
      epilogue4(i32x4.extend_low_i16x8_u(p67), xh + 6, px, w, r, c, xPtr, addPtr, outPtr, basePtr, scale, oByte, interior, baseI);
      px += pxStride;
      epilogue4(i32x4.extend_high_i16x8_u(p67), xh + 7, px, w, r, c, xPtr, addPtr, outPtr, basePtr, scale, oByte, interior, baseI);
      px += pxStride;
    }
    return;
  }
  // A short block (row end, or a group of fewer than 4 channels left): one output at a time.
  for (let j = 0; j < nO; j++) {
    const src = accPtr + (<usize>j << 5);
    const ob = <usize>(oBase + j) << 2;
    const s = load<f32>(scalePtr + ob);
    for (let p = 0; p < npx; p++) {
      const m = <i32>load<u16>(src + (<usize>p << 1));
      const base = load<i32>(basePtr + (<usize>(slotOf(x0 + p, w, r) * c) << 2) + ob);
      const at = rowByte + <usize>p * pxStride + ob;
      let v = load<f32>(xPtr + at) + <f32>(base - 2 * m) * s;
      if (addPtr) v = load<f32>(addPtr + at) + v;
      store<f32>(outPtr + at, v);
    }
  }
}

/**
 * Table lookup of 16 nibbles (indices 0…15, so relaxed_swizzle is exact: every engine gives
 * the swizzle result in range; on x64 it is one pshufb, the plain swizzle adds a saturating fix-up).
 */
// @ts-ignore: decorator
@inline
function lookup(table: v128, nibbles: v128): v128 {
  return ASC_FEATURE_RELAXED_SIMD ? v128.relaxed_swizzle(table, nibbles) : i8x16.swizzle(table, nibbles);
}

/**
 * Output row y of the binary op: mismatch counts over all k² taps (taps outside the image read
 * zero bytes), 32 pixels (two 16-lane blocks) × 4 output channels at a time, in two passes of
 * 2 channels — each table load serves both blocks, each activation load 2 channels — then
 * straight into the output through a 4 × 16 transpose of the counts per block.
 */
function binConvRow(
  xPtr: usize,
  planesPtr: usize,
  y: i32,
  w: i32,
  c: i32,
  groups: i32,
  k: i32,
  d: i32,
  r: i32,
  wp: i32,
  planeSize: usize,
  wBytesPtr: usize,
  scalePtr: usize,
  addPtr: usize,
  outPtr: usize,
  basePtr: usize,
  accPtr: usize,
): void {
  const cg = c / groups;
  const cog = c / groups;
  const ppg = (cg + 7) >> 3;
  const kk = k * k;
  const zero = i32x4.splat(0);
  // 8 bits per byte lane and tap: the byte counters hold up to 31 taps (248) before they are
  // widened to 16 bits, so whole tap rows go in until the next row would pass that.
  const rowsPerWiden = 31 / k;
  const tapStep = <usize>(ppg << 5); // lookup tables of consecutive taps
  // The two tables of weight byte (o, tap, q) are at wBytes + ((o·kk + tap)·ppg + q)·32 (+ 16).
  const wStride = <usize>(kk * ppg) << 5;
  const hiOff = <usize>(groups * ppg) * planeSize;
  for (let g = 0; g < groups; g++) {
    // Two 16-pixel blocks × 2 output channels at a time: each table load serves both blocks
    // (10 loads per tap for 4 outputs × 1 block before, the load ports' limit; now 8 per 2 × 2,
    // and the shuffle ports set the pace), and 4 counters, 4 nibble vectors and 2 tables fit
    // V8's 16 x64 vector registers (2 blocks × 4 outputs spilled counters every tap).
    for (let x0 = 0; x0 < w; x0 += 32) {
      // Block B may lie past the row's end: it then reads the zero padding of the planes (rows
      // are whole 32-pixel steps) and its counts are dropped.
      const npxA = min(16, w - x0);
      const npxB = min(16, w - x0 - 16);
      for (let o0 = 0; o0 < cog; o0 += 4) {
        const oBase = g * cog + o0;
        const nO = min(4, cog - o0);
        // (Plain stores: memory.fill is a call out of the module, too slow at 256 bytes.)
        for (let i: usize = 0; i < 256; i += 16) v128.store(accPtr + i, zero);
        for (let pair = 0; pair < 4; pair += 2) {
          // Channels past the group's end (cog not a multiple of 4) reuse the last one; ignored.
          const wa = wBytesPtr + <usize>(oBase + min(pair, nO - 1)) * wStride;
          const wb = wBytesPtr + <usize>(oBase + min(pair + 1, nO - 1)) * wStride;
          const accA = accPtr + (<usize>pair << 5);
          const accB = accA + 128;
          for (let q = 0; q < ppg; q++) {
            const plane = planesPtr + <usize>(g * ppg + q) * planeSize + <usize>x0;
            let a0 = zero, a1 = zero, b0 = zero, b1 = zero;
            // Table pointers of the 2 outputs at tap (0, 0), plane q, stepped tap by tap: carried
            // through the loop, so the compiler cannot recompute them from o and the strides in
            // every iteration (it did, with multiplies per tap).
            let p0 = wa + <usize>(q << 5);
            let p1 = wb + <usize>(q << 5);
            for (let a = 0; a < k; a++) {
              // Padded row y + R + (a − kc)·d = y + a·d, since R = kc·d.
              let vp = plane + <usize>((y + a * d) * wp);
              let vh = vp + hiOff;
              for (let b = 0; b < k; b++) {
                // Nibbles of 2 × 16 pixels; popcount(a ^ w) = lo[a & 15] + hi[a >> 4].
                const loA = v128.load(vp);
                const hiA = v128.load(vh);
                const loB = v128.load(vp, 16);
                const hiB = v128.load(vh, 16);
                let tl = v128.load(p0);
                let th = v128.load(p0, 16);
                a0 = i8x16.add(a0, i8x16.add(lookup(tl, loA), lookup(th, hiA)));
                b0 = i8x16.add(b0, i8x16.add(lookup(tl, loB), lookup(th, hiB)));
                tl = v128.load(p1);
                th = v128.load(p1, 16);
                a1 = i8x16.add(a1, i8x16.add(lookup(tl, loA), lookup(th, hiA)));
                b1 = i8x16.add(b1, i8x16.add(lookup(tl, loB), lookup(th, hiB)));
                vp += <usize>d;
                vh += <usize>d;
                p0 += tapStep;
                p1 += tapStep;
              }
              if (a == k - 1 || (a + 1) % rowsPerWiden == 0) {
                widen2(accA, a0, a1);
                widen2(accB, b0, b1);
                a0 = zero;
                a1 = zero;
                b0 = zero;
                b1 = zero;
              }
            }
          }
          if (nO <= 2) break; // outputs 2 and 3 would only repeat the last one
        }
        epilogueBlock(accPtr, x0, npxA, oBase, nO, y, w, r, c, xPtr, scalePtr, addPtr, outPtr, basePtr);
        if (npxB > 0)
          epilogueBlock(accPtr + 128, x0 + 16, npxB, oBase, nO, y, w, r, c, xPtr, scalePtr, addPtr, outPtr, basePtr);
      }
    }
  }
}

/**
 * The binary op on a packed input: out = [add +] (x + f32(dot) · scale), per
 * docs/model-format.md §3 (`add`, 0 for none, is the node sum's other term, fused).
 * `planesPtr`: scratch for the sign planes of x − τ (2 nibble planes of (h + 2r)·wp bytes per
 * byte plane, r = d·(k − 1)/2),
 * filled here row by row.
 * `basePtr`: scratch of (2r + 1)·c i32, 16-byte aligned; `tmpPtr`: 256 bytes, 16-byte aligned.
 */
export function binConv(
  xPtr: usize,
  tauPtr: usize,
  planesPtr: usize,
  h: i32,
  w: i32,
  c: i32,
  groups: i32,
  k: i32,
  d: i32,
  wp: i32,
  wBytesPtr: usize,
  pcPtr: usize,
  scalePtr: usize,
  addPtr: usize,
  outPtr: usize,
  basePtr: usize,
  tmpPtr: usize,
  splatPtr: usize,
): void {
  const cg = c / groups;
  const kc = (k - 1) >> 1;
  const r = kc * d;
  const planeSize = <usize>((h + 2 * r) * wp);
  // Two lookup tables per weight byte w, built once per call: lo[n] = popcount(n ^ (w & 15)),
  // hi[n] = popcount(n ^ (w >> 4)), n = 0…15 (c·k²·ppg·32 bytes: 50 KB for C = 32, 7×7, one
  // plane). A zero byte outside the image reads lo[0] + hi[0] = popcount(w), as fillBase assumes.
  const nW = c * k * k * ((cg + 7) >> 3);
  const iota = i8x16(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
  for (let i = 0; i < nW; i++) {
    const wb = <i32>load<u8>(wBytesPtr + <usize>i);
    const t = splatPtr + (<usize>i << 5);
    v128.store(t, i8x16.popcnt(v128.xor(iota, i8x16.splat(<i8>(wb & 15)))));
    v128.store(t, i8x16.popcnt(v128.xor(iota, i8x16.splat(<i8>(wb >> 4)))), 16);
  }
  let lastLo = -1;
  let lastHi = -1;
  // Output row y reads input rows up to y + r: pack them just in time, so that x's rows are
  // still in cache when the epilogue reads them again r rows later (one pass over x from memory
  // instead of two).
  memory.fill(planesPtr, 0, 2 * planeSize * <usize>(groups * ((cg + 7) >> 3)));
  let packed = 0;
  for (let y = 0; y < h; y++) {
    const need = min(h, y + r + 1);
    if (packed < need) {
      packRows(xPtr, tauPtr, h, w, c, groups, r, wp, planesPtr, packed, need);
      packed = need;
    }
    // Tap rows a whose input row y + (a − kc)·d falls inside the image.
    let aLo = 0;
    while (aLo < k && y + (aLo - kc) * d < 0) aLo++;
    let aHi = k;
    while (aHi > aLo && y + (aHi - 1 - kc) * d >= h) aHi--;
    if (aLo != lastLo || aHi != lastHi) {
      fillBase(aLo, aHi, w, c, cg, k, d, r, pcPtr, basePtr);
      lastLo = aLo;
      lastHi = aHi;
    }
    binConvRow(
      xPtr, planesPtr, y, w, c, groups, k, d, r, wp, planeSize, splatPtr, scalePtr, addPtr,
      outPtr, basePtr, tmpPtr,
    );
  }
}

/**
 * Channel concat of n NHWC maps of c channels each (pointers in an i32 list at `ptrsPtr`):
 * out[p·n·c + j·c + ch] = x_j[p·c + ch]. Plain copies (c a multiple of 4: one v128 per 4).
 */
export function concatChannels(ptrsPtr: usize, n: i32, pixels: i32, c: i32, outPtr: usize): void {
  const row = <usize>c << 2;
  let dst = outPtr;
  for (let p = 0; p < pixels; p++) {
    const off = <usize>p * row;
    for (let j = 0; j < n; j++) {
      const src = <usize>load<u32>(ptrsPtr + (<usize>j << 2)) + off;
      let b: usize = 0;
      for (; b + 16 <= row; b += 16) v128.store(dst + b, v128.load(src + b));
      for (; b < row; b += 4) store<u32>(dst + b, load<u32>(src + b));
      dst += row;
    }
  }
}

/**
 * The network's last step at inference: y = pixelShuffle_r(t) + bic, one pass instead of a
 * transpose and an add. t: [h, w, c·r²] with tf.depthToSpace's channel order (channel
 * (i·r + j)·c + ch goes to pixel (y·r + i, x·r + j), channel ch); bic, out: [h·r, w·r, c]. Per
 * LR pixel and row i the r·c values are contiguous in both t and out, so each is one run of
 * adds: the same f32 add of the same two values as tf.add, so the same result.
 */
export function pixelShuffleAdd(
  tPtr: usize,
  bicPtr: usize,
  h: i32,
  w: i32,
  c: i32,
  r: i32,
  outPtr: usize,
): void {
  const run = r * c; // floats per (LR pixel, row i)
  const runBytes = <usize>run << 2;
  const rowBytes = <usize>(w * run) << 2; // one HR row
  const vecEnd = <usize>(run & ~3) << 2;
  for (let y = 0; y < h; y++) {
    for (let i = 0; i < r; i++) {
      const hr = <usize>(y * r + i) * rowBytes;
      for (let x = 0; x < w; x++) {
        const src = tPtr + (<usize>((y * w + x) * r + i) * runBytes);
        const at = hr + <usize>x * runBytes;
        let b: usize = 0;
        for (; b < vecEnd; b += 16)
          v128.store(outPtr + at + b, f32x4.add(v128.load(src + b), v128.load(bicPtr + at + b)));
        for (; b < runBytes; b += 4)
          store<f32>(outPtr + at + b, load<f32>(src + b) + load<f32>(bicPtr + at + b));
      }
    }
  }
}
