#!/usr/bin/env python3
"""Independent SSIM/PSNR reference for src/core/metrics (numpy only, no code shared with the TS).

SSIM as in Wang et al. 2004 / MATLAB ssim_index: 11x11 Gaussian window (sigma 1.5) applied as a
full 2-D window at every 'valid' position (no separable filtering), c1 = (0.01*255)^2,
c2 = (0.03*255)^2, mean over the map. Images: two generated 23x19 planes (formulas in planes()).

    python3 src/core/metrics/__fixtures__/gen_ssim.py   # writes ssim.json beside this file
"""
import json
from pathlib import Path
import numpy as np


def planes(h, w):
    y, x = np.meshgrid(np.arange(h), np.arange(w), indexing='ij')
    a = ((x * x * 3 + y * 7 + (x * y) % 5 * 11) % 256).astype(np.float64)
    b = np.clip(a * 0.8 + 20 + ((x + 2 * y) % 7) * 6 - 15, 0, 255)
    return a, b


def ssim(a, b, size=11, sigma=1.5, L=255.0):
    ax = np.arange(size) - (size - 1) / 2
    g = np.exp(-(ax[:, None] ** 2 + ax[None, :] ** 2) / (2 * sigma ** 2))
    g /= g.sum()
    c1, c2 = (0.01 * L) ** 2, (0.03 * L) ** 2
    h, w = a.shape
    vals = []
    for i in range(h - size + 1):
        for j in range(w - size + 1):
            pa, pb = a[i:i + size, j:j + size], b[i:i + size, j:j + size]
            ma, mb = (g * pa).sum(), (g * pb).sum()
            va = (g * (pa - ma) ** 2).sum()
            vb = (g * (pb - mb) ** 2).sum()
            cov = (g * (pa - ma) * (pb - mb)).sum()
            vals.append(((2 * ma * mb + c1) * (2 * cov + c2)) /
                        ((ma ** 2 + mb ** 2 + c1) * (va + vb + c2)))
    return float(np.mean(vals))


def main():
    h, w = 23, 19
    a, b = planes(h, w)
    mse = np.mean((a - b) ** 2)
    out = {'height': h, 'width': w, 'ssim': ssim(a, b), 'psnr': float(10 * np.log10(255 ** 2 / mse))}
    Path(__file__).with_name('ssim.json').write_text(json.dumps(out, indent=2) + '\n')
    print(out)


if __name__ == '__main__':
    main()
