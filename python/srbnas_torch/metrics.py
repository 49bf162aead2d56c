"""PSNR/SSIM on BT.601 Y with a border of `scale` pixels (DESIGN §3; src/core/metrics).

Y = 16 + 65.481 R + 128.553 G + 24.966 B (RGB in [0, 1]), kept as float unless round_y; a gray
image's samples are its Y. SSIM: 11×11 Gaussian σ = 1.5, c1 = (0.01·255)², c2 = (0.03·255)²,
'valid' filtering, mean over the map.
"""

import math

import numpy as np

from .bicubic import to_uint8


def luma_y(img: np.ndarray, round_y: bool = False) -> np.ndarray:
    src = img.astype(np.float64)
    if img.shape[2] == 1:
        y = src[..., 0] * 1.0
    else:
        y = 16 + (65.481 / 255) * src[..., 0] + (128.553 / 255) * src[..., 1] + (24.966 / 255) * src[..., 2]
    return to_uint8(y).astype(np.float64) if round_y else y


def shave(p: np.ndarray, border: int) -> np.ndarray:
    if border == 0:
        return p
    if p.shape[0] <= 2 * border or p.shape[1] <= 2 * border:
        raise ValueError(f"cannot crop a border of {border} from a {p.shape[1]}x{p.shape[0]} image")
    return p[border:-border, border:-border]


def psnr(a: np.ndarray, b: np.ndarray, peak: float = 255) -> float:
    mse = float(np.mean((a - b) ** 2))
    return math.inf if mse == 0 else 10 * math.log10(peak * peak / mse)


def _gaussian(size: int, sigma: float) -> np.ndarray:
    mid = (size - 1) / 2
    g = np.exp(-((np.arange(size) - mid) ** 2) / (2 * sigma * sigma))
    return g / g.sum()


def _filter_valid(src: np.ndarray, g: np.ndarray) -> np.ndarray:
    k = len(g)
    oh, ow = src.shape[0] - k + 1, src.shape[1] - k + 1
    tmp = sum(g[t] * src[t:t + oh, :] for t in range(k))
    return sum(g[t] * tmp[:, t:t + ow] for t in range(k))


def ssim(a: np.ndarray, b: np.ndarray, peak: float = 255) -> float:
    if a.shape[0] < 11 or a.shape[1] < 11:
        raise ValueError(f"SSIM needs at least 11x11 pixels, got {a.shape[1]}x{a.shape[0]}")
    c1, c2 = (0.01 * peak) ** 2, (0.03 * peak) ** 2
    g = _gaussian(11, 1.5)
    m1, m2 = _filter_valid(a, g), _filter_valid(b, g)
    s11 = _filter_valid(a * a, g) - m1 * m1
    s22 = _filter_valid(b * b, g) - m2 * m2
    s12 = _filter_valid(a * b, g) - m1 * m2
    m = ((2 * m1 * m2 + c1) * (2 * s12 + c2)) / ((m1 * m1 + m2 * m2 + c1) * (s11 + s22 + c2))
    return float(m.mean())


def sr_score(hr: np.ndarray, sr: np.ndarray, scale: int, round_y: bool = False):
    if hr.shape[:2] != sr.shape[:2]:
        raise ValueError(f"SR output is {sr.shape[1]}x{sr.shape[0]} but HR is {hr.shape[1]}x{hr.shape[0]} (x{scale})")
    a = shave(luma_y(hr, round_y), scale)
    b = shave(luma_y(sr, round_y), scale)
    return {"psnr": psnr(a, b), "ssim": ssim(a, b)}
