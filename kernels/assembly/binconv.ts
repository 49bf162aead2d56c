// Binary group conv on bit-packed activations and weights (XNOR + popcount, SIMD128), the
// packed engine's kernel for the WASM backend. AssemblyScript; built by scripts/build-kernels.mjs
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
//    per group; plane p = g·ppg + q holds channels g·cg + 8q + i at bit i, bit 1 = +1). Each
//    plane is (H + 2R) rows of `wp` bytes, pixel (y, x) at row y + R, column x + R, and every
//    byte outside the image is 0, so a 16-pixel vector load never leaves the plane.
//  - wBytes: the weight bits in the same byte form, byte (o·k² + a·k + b)·ppg + q, for output
//    channel o (global index), tap (a, b), plane q of o's group; unused bits are 0 (as in the
//    planes, so padding bits never differ).
//  - pc (i32 [C·k²]): popcount of each (o, tap) summed over planes; rowPc (i32 [C·k]) and
//    colPc (i32 [C·k]) its sums over b and over a. With zero bytes outside the image, a tap
//    outside counts popcount(w) mismatches; border pixels subtract exactly those.

// a XOR w has a 1 wherever the signs differ, so Σ a·B over n valid products = n − 2·mismatches.

/** Binarise x − τ into zero-padded byte planes (see the header). */
export function packSigns(
  xPtr: usize,
  tauPtr: usize,
  h: i32,
  w: i32,
  c: i32,
  groups: i32,
  r: i32,
  wp: i32,
  planesPtr: usize,
): void {
  const cg = c / groups;
  const ppg = (cg + 7) >> 3;
  const rows = h + 2 * r;
  const planeSize = <usize>(rows * wp);
  memory.fill(planesPtr, 0, planeSize * <usize>(groups * ppg));
  const zero = f32x4.splat(0);
  if ((cg & 7) == 0) {
    // 8 channels → one byte: two f32x4 compares, two 4-bit masks.
    for (let y = 0; y < h; y++) {
      const rowOff = <usize>((y + r) * wp + r);
      for (let xx = 0; xx < w; xx++) {
        const px = xPtr + (<usize>(y * w + xx) * <usize>c << 2);
        const dst = planesPtr + rowOff + <usize>xx;
        for (let p = 0; p < groups * ppg; p++) {
          const ch = <usize>(p << 3) << 2;
          const d0 = f32x4.sub(v128.load(px + ch), v128.load(tauPtr + ch));
          const d1 = f32x4.sub(v128.load(px + ch + 16), v128.load(tauPtr + ch + 16));
          const b0 = i32x4.bitmask(f32x4.ge(d0, zero));
          const b1 = i32x4.bitmask(f32x4.ge(d1, zero));
          store<u8>(dst + <usize>p * planeSize, <u8>(b0 | (b1 << 4)));
        }
      }
    }
    return;
  }
  for (let y = 0; y < h; y++) {
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
          store<u8>(planesPtr + <usize>(g * ppg + q) * planeSize + rowOff + <usize>xx, <u8>byte);
        }
      }
    }
  }
}

/**
 * Mismatch counts of one output row y: m[x·C + o] (i32) for every pixel x and output channel o,
 * over all k² taps including those outside the image (which read zero bytes).
 * 16 pixels at a time; 4 output channels share each activation load.
 */
function rowMismatches(
  planesPtr: usize,
  y: i32,
  w: i32,
  c: i32,
  groups: i32,
  k: i32,
  d: i32,
  wp: i32,
  planeSize: usize,
  wBytesPtr: usize,
  mPtr: usize,
  tmpPtr: usize,
): void {
  const cg = c / groups;
  const cog = c / groups;
  const ppg = (cg + 7) >> 3;
  const kk = k * k;
  const zero = i32x4.splat(0);
  for (let g = 0; g < groups; g++) {
    for (let x0 = 0; x0 < w; x0 += 16) {
      const npx = min(16, w - x0);
      for (let o0 = 0; o0 < cog; o0 += 4) {
        const oBase = g * cog + o0;
        const nO = min(4, cog - o0);
        let lo0 = zero, hi0 = zero, lo1 = zero, hi1 = zero;
        let lo2 = zero, hi2 = zero, lo3 = zero, hi3 = zero;
        // Weight byte of (o, tap, q) is at wBytes + (o·kk + tap)·ppg + q; o+1 is kk·ppg further.
        const wStride = <usize>(kk * ppg);
        // Channels past the group's end (cog not a multiple of 4) reuse the last one; ignored.
        const w0 = wBytesPtr + <usize>oBase * wStride;
        const w1 = wBytesPtr + <usize>(oBase + min(1, nO - 1)) * wStride;
        const w2 = wBytesPtr + <usize>(oBase + min(2, nO - 1)) * wStride;
        const w3 = wBytesPtr + <usize>(oBase + min(3, nO - 1)) * wStride;
        for (let q = 0; q < ppg; q++) {
          const plane = planesPtr + <usize>(g * ppg + q) * planeSize + <usize>x0;
          for (let a = 0; a < k; a++) {
            // Padded row y + R + (a − kc)·d = y + a·d, since R = kc·d.
            const rowp = plane + <usize>((y + a * d) * wp);
            let acc0 = zero, acc1 = zero, acc2 = zero, acc3 = zero;
            for (let b = 0; b < k; b++) {
              const v = v128.load(rowp + <usize>(b * d));
              const t = <usize>((a * k + b) * ppg + q);
              acc0 = i8x16.add(acc0, i8x16.popcnt(v128.xor(v, v128.load8_splat(w0 + t))));
              acc1 = i8x16.add(acc1, i8x16.popcnt(v128.xor(v, v128.load8_splat(w1 + t))));
              acc2 = i8x16.add(acc2, i8x16.popcnt(v128.xor(v, v128.load8_splat(w2 + t))));
              acc3 = i8x16.add(acc3, i8x16.popcnt(v128.xor(v, v128.load8_splat(w3 + t))));
            }
            // ≤ 7 taps × 8 bits = 56 per byte lane: widen once per tap row, before 255.
            lo0 = i16x8.add(lo0, i16x8.extend_low_i8x16_u(acc0));
            hi0 = i16x8.add(hi0, i16x8.extend_high_i8x16_u(acc0));
            lo1 = i16x8.add(lo1, i16x8.extend_low_i8x16_u(acc1));
            hi1 = i16x8.add(hi1, i16x8.extend_high_i8x16_u(acc1));
            lo2 = i16x8.add(lo2, i16x8.extend_low_i8x16_u(acc2));
            hi2 = i16x8.add(hi2, i16x8.extend_high_i8x16_u(acc2));
            lo3 = i16x8.add(lo3, i16x8.extend_low_i8x16_u(acc3));
            hi3 = i16x8.add(hi3, i16x8.extend_high_i8x16_u(acc3));
          }
        }
        // Lanes → m[x·C + o] through a 128-byte scratch (lane indices must be constants).
        v128.store(tmpPtr, lo0);
        v128.store(tmpPtr + 16, hi0);
        v128.store(tmpPtr + 32, lo1);
        v128.store(tmpPtr + 48, hi1);
        v128.store(tmpPtr + 64, lo2);
        v128.store(tmpPtr + 80, hi2);
        v128.store(tmpPtr + 96, lo3);
        v128.store(tmpPtr + 112, hi3);
        for (let j = 0; j < nO; j++) {
          const src = tmpPtr + (<usize>j << 5);
          const dst = mPtr + (<usize>(x0 * c + oBase + j) << 2);
          for (let p = 0; p < npx; p++)
            store<i32>(dst + (<usize>(p * c) << 2), <i32>load<u16>(src + (<usize>p << 1)));
        }
      }
    }
  }
}

/**
 * The binary op on a packed input: out = x + f32(dot) · scale, per docs/model-format.md §3.
 * `planesPtr` must hold packSigns(x, τ, …, r = d·(k − 1)/2, wp) of the same x.
 * `mPtr`: scratch of w·c i32; `tmpPtr`: 128 bytes of scratch, 16-byte aligned.
 */
export function binConv(
  xPtr: usize,
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
  rowPcPtr: usize,
  colPcPtr: usize,
  scalePtr: usize,
  outPtr: usize,
  mPtr: usize,
  tmpPtr: usize,
): void {
  const cg = c / groups;
  const kc = (k - 1) >> 1;
  const r = kc * d;
  const kk = k * k;
  const planeSize = <usize>((h + 2 * r) * wp);
  const full = f32x4.splat(<f32>(cg * kk));
  const two = f32x4.splat(2);
  for (let y = 0; y < h; y++) {
    rowMismatches(planesPtr, y, w, c, groups, k, d, wp, planeSize, wBytesPtr, mPtr, tmpPtr);
    // Tap rows a whose input row y + (a − kc)·d falls outside the image.
    let aLo = 0;
    while (aLo < k && y + (aLo - kc) * d < 0) aLo++;
    let aHi = k;
    while (aHi > aLo && y + (aHi - 1 - kc) * d >= h) aHi--;
    const rowsValid = aHi - aLo;
    for (let xx = 0; xx < w; xx++) {
      let bLo = 0;
      while (bLo < k && xx + (bLo - kc) * d < 0) bLo++;
      let bHi = k;
      while (bHi > bLo && xx + (bHi - 1 - kc) * d >= w) bHi--;
      const px = <usize>(y * w + xx) * <usize>c << 2;
      const mp = mPtr + (<usize>(xx * c) << 2);
      if (rowsValid == k && bHi - bLo == k) {
        // Interior: every tap valid, dot = cg·k² − 2·m; f32 math as the float engine's.
        let o = 0;
        for (; o + 4 <= c; o += 4) {
          const ob = <usize>o << 2;
          const m = f32x4.convert_i32x4_s(v128.load(mp + ob));
          // dot is an integer of at most 2^15: exact in f32 whatever the order.
          const dot = f32x4.sub(full, f32x4.mul(two, m));
          const v = f32x4.add(
            v128.load(xPtr + px + ob),
            f32x4.mul(dot, v128.load(scalePtr + ob)),
          );
          v128.store(outPtr + px + ob, v);
        }
        for (; o < c; o++) {
          const ob = <usize>o << 2;
          const dot = <f32>(cg * kk - 2 * load<i32>(mp + ob));
          store<f32>(outPtr + px + ob, load<f32>(xPtr + px + ob) + dot * load<f32>(scalePtr + ob));
        }
        continue;
      }
      const nValid = rowsValid * (bHi - bLo);
      for (let o = 0; o < c; o++) {
        // Mismatches counted at taps outside the image: by inclusion–exclusion over the
        // invalid tap rows and columns.
        let corr = 0;
        const rp = rowPcPtr + (<usize>(o * k) << 2);
        const cp = colPcPtr + (<usize>(o * k) << 2);
        const pp = pcPtr + (<usize>(o * kk) << 2);
        for (let a = 0; a < aLo; a++) corr += load<i32>(rp + (<usize>a << 2));
        for (let a = aHi; a < k; a++) corr += load<i32>(rp + (<usize>a << 2));
        for (let b = 0; b < bLo; b++) corr += load<i32>(cp + (<usize>b << 2));
        for (let b = bHi; b < k; b++) corr += load<i32>(cp + (<usize>b << 2));
        for (let a = 0; a < k; a++) {
          if (a >= aLo && a < aHi) continue;
          for (let b = 0; b < k; b++) {
            if (b >= bLo && b < bHi) continue;
            corr -= load<i32>(pp + (<usize>(a * k + b) << 2));
          }
        }
        const ob = <usize>o << 2;
        const dot = <f32>(cg * nValid - 2 * (load<i32>(mp + ob) - corr));
        store<f32>(outPtr + px + ob, load<f32>(xPtr + px + ob) + dot * load<f32>(scalePtr + ob));
      }
    }
  }
}
