"""MATLAB-compatible bicubic resize (imresize, 'bicubic', antialiasing), as src/core/image/bicubic.ts.

Keys kernel a = −0.5, widened by r when shrinking; output pixel u (1-based) centred at
u·r + 0.5(1 − r) ('down') or u/r + 0.5(1 − 1/r) ('up'); taps floor(x − width/2) + 0..ceil(width)+1,
weights normalised, edge taps clamped (replicate); height first, then width. The uint8 path
rounds to uint8 (half away from zero) after EACH pass — bit-exact on the benchmark LR images —
and the float path stores float32 after each pass (the network's image shortcut). Accumulation
is float64 over the taps in order, the same operations as the TypeScript loops.
"""

import math

import numpy as np


def cubic(x: np.ndarray) -> np.ndarray:
    ax = np.abs(x)
    ax2 = ax * ax
    ax3 = ax2 * ax
    return np.where(ax <= 1, 1.5 * ax3 - 2.5 * ax2 + 1,
                    np.where(ax <= 2, -0.5 * ax3 + 2.5 * ax2 - 4 * ax + 2, 0.0))


def resized_length(n: int, r: float, direction: str) -> int:
    if direction == "up":
        return int(math.ceil(n * r))
    return n // r if float(n / r).is_integer() else int(math.ceil(n / r))


def axis_weights(in_len: int, out_len: int, r: float, direction: str, antialias: bool = True):
    """(index [out, taps] clamped, weights [out, taps] float64)."""
    shrink = direction == "down" and r > 1
    widen = shrink and antialias
    width = 4 * r if widen else 4
    taps = int(math.ceil(width)) + 2
    u = np.arange(1, out_len + 1, dtype=np.float64)
    x = u * r + 0.5 * (1 - r) if direction == "down" else u / r + 0.5 * (1 - 1 / r)
    left = np.floor(x - width / 2)
    t = np.arange(taps, dtype=np.float64)
    d = x[:, None] - (left[:, None] + t[None, :])
    w = cubic(d / r) / r if widen else cubic(d)
    s = np.zeros(out_len)
    for k in range(taps):  # sequential sum, as the TS loop
        s = s + w[:, k]
    idx = np.clip(left[:, None] + t[None, :] - 1, 0, in_len - 1).astype(np.int64)
    return idx, w / s[:, None]


def to_uint8(v: np.ndarray) -> np.ndarray:
    """Round half away from zero and saturate (MATLAB's double → uint8; NaN → 0)."""
    v = np.asarray(v, dtype=np.float64)
    out = np.where(v >= 255, 255.0, np.floor(v + 0.5))
    out = np.where(v > 0, out, 0.0)
    return out.astype(np.uint8)


def _resize_axis(src: np.ndarray, idx: np.ndarray, w: np.ndarray, axis: int) -> np.ndarray:
    acc = None
    for k in range(idx.shape[1]):
        taken = np.take(src, idx[:, k], axis=axis).astype(np.float64)
        wk = w[:, k].reshape((-1, 1, 1) if axis == 0 else (1, -1, 1))
        term = wk * taken
        acc = term if acc is None else acc + term
    return acc


def _plan(h: int, w: int, factor: float, direction: str, out_w=None, out_h=None, antialias=True):
    oh = out_h if out_h is not None else resized_length(h, factor, direction)
    ow = out_w if out_w is not None else resized_length(w, factor, direction)
    if oh < 1 or ow < 1:
        raise ValueError(f"resizing {w}x{h} by {factor} gives an empty image")
    return axis_weights(h, oh, factor, direction, antialias), axis_weights(w, ow, factor, direction, antialias)


def resize_bicubic(img: np.ndarray, factor: float, direction: str, out_w=None, out_h=None) -> np.ndarray:
    """uint8 HWC image → uint8, rounding after each pass (bit-exact to MATLAB)."""
    (ih, wh), (iw, ww) = _plan(img.shape[0], img.shape[1], factor, direction, out_w, out_h)
    mid = to_uint8(_resize_axis(img, ih, wh, 0))
    return to_uint8(_resize_axis(mid, iw, ww, 1))


def resize_bicubic_float(img: np.ndarray, factor: float, direction: str, out_w=None, out_h=None) -> np.ndarray:
    """float32 HWC image → float32, no rounding or clamping."""
    (ih, wh), (iw, ww) = _plan(img.shape[0], img.shape[1], factor, direction, out_w, out_h)
    mid = _resize_axis(img, ih, wh, 0).astype(np.float32)
    return _resize_axis(mid, iw, ww, 1).astype(np.float32)


def downscale_bicubic(img: np.ndarray, r: int) -> np.ndarray:
    return resize_bicubic(img, r, "down")


def upscale_bicubic(img: np.ndarray, r: int) -> np.ndarray:
    return resize_bicubic(img, r, "up")
