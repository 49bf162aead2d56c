#!/usr/bin/env python3
"""Independent reference for src/core/image/bicubic.ts (numpy only; no code shared with the TS).

Writes bicubic.json: a generated test pattern (not dataset data) resized by
MATLAB-style bicubic (docs/design.md §3 / datasets/MANIFEST.md) with dense weight matrices.
With --check DATASETS it first verifies this implementation bit-exactly against the LR
PNGs of Set5 and Set14 (a 30-line PNG reader below, so no imaging library is needed).

Run from the repository root:
    python3 src/core/image/__fixtures__/gen_bicubic.py --check ../shared/datasets
"""
import json, struct, sys, zlib
from pathlib import Path
import numpy as np


def cubic(x):
    a = np.abs(x)
    return np.where(a <= 1, 1.5 * a**3 - 2.5 * a**2 + 1,
                    np.where(a <= 2, -0.5 * a**3 + 2.5 * a**2 - 4 * a + 2, 0.0))


def matrix(n_in, n_out, r, down):
    """Dense (n_out x n_in) resize matrix; rows sum to 1; edge taps clamped."""
    u = np.arange(1, n_out + 1, dtype=np.float64)
    if down:
        centre, width = u * r + 0.5 * (1 - r), 4.0 * r
        kern = lambda d: cubic(d / r) / r
    else:
        centre, width = u / r + 0.5 * (1 - 1 / r), 4.0
        kern = cubic
    taps = int(np.ceil(width)) + 2
    first = np.floor(centre - width / 2)
    pos = first[:, None] + np.arange(taps)[None, :]          # 1-based input positions
    w = kern(centre[:, None] - pos)
    w = w / w.sum(axis=1, keepdims=True)
    cols = np.clip(pos - 1, 0, n_in - 1).astype(int)
    m = np.zeros((n_out, n_in))
    np.add.at(m, (np.repeat(np.arange(n_out), taps), cols.ravel()), w.ravel())
    return m


def to_u8(v):
    return np.clip(np.floor(v + 0.5), 0, 255)                 # half away from zero for v >= 0


def resize(img, r, down, rounding=True):
    """img: H x W x C float64. Height first, then width; round after each pass if rounding."""
    h, w, _ = img.shape
    oh = h // r if down else h * r
    ow = w // r if down else w * r
    mid = np.einsum('ih,hwc->iwc', matrix(h, oh, r, down), img)
    if rounding:
        mid = to_u8(mid)
    out = np.einsum('jw,iwc->ijc', matrix(w, ow, r, down), mid)
    return to_u8(out) if rounding else out


def read_png(path):
    """8-bit gray or RGB, non-interlaced PNG -> H x W x C uint8."""
    data = Path(path).read_bytes()
    pos, idat = 8, b''
    while pos < len(data):
        n, kind = struct.unpack('>I4s', data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b'IHDR':
            w, h, depth, ctype, _, _, interlace = struct.unpack('>IIBBBBB', body)
            assert depth == 8 and ctype in (0, 2) and interlace == 0, path
        elif kind == b'IDAT':
            idat += body
        pos += 12 + n
    c = 1 if ctype == 0 else 3
    raw = zlib.decompress(idat)
    stride = w * c
    out = np.zeros((h, stride), dtype=np.int64)
    prev = np.zeros(stride, dtype=np.int64)
    for y in range(h):
        f = raw[y * (stride + 1)]
        line = np.frombuffer(raw, np.uint8, stride, y * (stride + 1) + 1).astype(np.int64)
        cur = np.zeros(stride, dtype=np.int64)
        for i in range(stride):
            a = cur[i - c] if i >= c else 0
            b = prev[i]
            d = prev[i - c] if i >= c else 0
            if f == 0: p = 0
            elif f == 1: p = a
            elif f == 2: p = b
            elif f == 3: p = (a + b) // 2
            else:
                pa, pb, pc = abs(b - d), abs(a - d), abs(a + b - 2 * d)
                p = a if pa <= pb and pa <= pc else (b if pb <= pc else d)
            cur[i] = (line[i] + p) & 255
        out[y], prev = cur, cur
    return out.reshape(h, w, c)


def check(datasets):
    n = 0
    for s in ('Set5', 'Set14'):
        for r in (2, 3, 4):
            for hr in sorted(Path(datasets, s, f'x{r}', 'HR').glob('*.png')):
                lr = read_png(Path(datasets, s, f'x{r}', 'LR', hr.name))
                got = resize(read_png(hr).astype(np.float64), r, True)
                assert np.array_equal(got, lr), f'{s} x{r} {hr.name} differs'
                n += 1
    print(f'reference matches {n} LR images bit-exactly', file=sys.stderr)


def pattern(h, w, c):
    """Deterministic pattern with edges and texture; the TS test rebuilds it from this formula."""
    y, x, ch = np.meshgrid(np.arange(h), np.arange(w), np.arange(c), indexing='ij')
    return ((x * x * 7 + y * 13 + ch * 85 + ((x ^ y) & 5) * 40) % 256).astype(np.float64)


def main():
    if '--check' in sys.argv:
        check(sys.argv[sys.argv.index('--check') + 1])
    h, w = 12, 24
    img = pattern(h, w, 3)
    cases = []
    for r in (2, 3, 4):
        cases.append({'direction': 'down', 'factor': r, 'rounding': True,
                      'data': resize(img, r, True).astype(int).ravel().tolist()})
    for r in (2, 3, 4):
        cases.append({'direction': 'up', 'factor': r, 'rounding': True,
                      'data': resize(img, r, False).astype(int).ravel().tolist()})
    # Float variants (no rounding anywhere), 6 decimals.
    for r, down in ((2, False), (3, True)):
        cases.append({'direction': 'down' if down else 'up', 'factor': r, 'rounding': False,
                      'data': [round(v, 6) for v in resize(img, r, down, False).ravel().tolist()]})
    out = {'note': 'generated by gen_bicubic.py; pattern formula in pattern()',
           'height': h, 'width': w, 'channels': 3, 'cases': cases}
    Path(__file__).with_name('bicubic.json').write_text(json.dumps(out, separators=(',', ':')))


if __name__ == '__main__':
    main()
