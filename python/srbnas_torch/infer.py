"""Inference on whole images (src/core/model/infer.ts): RGB through the network in [0, 1], output
×255 rounded half away from zero and saturated; gray images come back gray (mean of the RGB
output), alpha is enlarged by uint8 bicubic. The image shortcut is our MATLAB-style bicubic in
float. Tiles of `tile` LR pixels run with `receptive_radius` pixels of real context, so tiled and
untiled results are the same network output."""


import numpy as np
import torch

from .arch import receptive_radius
from .bicubic import resize_bicubic, resize_bicubic_float, to_uint8
from .image_io import to_float, to_rgb
from .network import INFERENCE_EDE, SRNetwork

MAX_OUTPUT_PIXELS = 64e6


def bicubic_up(lr: np.ndarray, r: int) -> np.ndarray:
    return resize_bicubic_float(lr, r, "up", out_w=lr.shape[1] * r, out_h=lr.shape[0] * r)


def _nchw(a: np.ndarray, device) -> torch.Tensor:
    return torch.from_numpy(np.ascontiguousarray(a.transpose(2, 0, 1)[None])).to(device)


@torch.no_grad()
def upscale_float(net: SRNetwork, lr: np.ndarray, tile: int = 96) -> np.ndarray:
    """float32 HWC RGB in [0, 1] → float32 HWC SR (unclamped)."""
    r = net.config["scale"]
    h, w = lr.shape[:2]
    if h * r * w * r > MAX_OUTPUT_PIXELS:
        raise ValueError(f"a {w}x{h} image at x{r} gives {h * w * r * r / 1e6:.0f} MP, above the "
                         f"limit of {MAX_OUTPUT_PIXELS / 1e6:.0f} MP: crop or shrink it first")
    device = next(net.parameters()).device
    tile = max(h, w) if tile <= 0 else max(1, min(int(tile), max(h, w)))
    m = receptive_radius(net.config)
    bic = bicubic_up(lr, r)
    out = np.zeros((h * r, w * r, 3), np.float32)
    for y0 in range(0, h, tile):
        for x0 in range(0, w, tile):
            y1, x1 = min(h, y0 + tile), min(w, x0 + tile)
            iy0, ix0 = max(0, y0 - m), max(0, x0 - m)
            iy1, ix1 = min(h, y1 + m), min(w, x1 + m)
            y = net(_nchw(lr[iy0:iy1, ix0:ix1], device),
                    _nchw(bic[iy0 * r:iy1 * r, ix0 * r:ix1 * r], device), INFERENCE_EDE)
            y = y[0].permute(1, 2, 0).cpu().numpy()
            out[y0 * r:y1 * r, x0 * r:x1 * r] = y[(y0 - iy0) * r:(y1 - iy0) * r,
                                                  (x0 - ix0) * r:(x1 - ix0) * r]
    return out


def upscale_image(net: SRNetwork, img: np.ndarray, tile: int = 96) -> np.ndarray:
    """uint8 HWC (1, 3 or 4 channels) → uint8 HWC with the same channels, r× larger."""
    r = net.config["scale"]
    sr = upscale_float(net, to_float(to_rgb(img)), tile).astype(np.float64)
    c = img.shape[2]
    if c == 1:
        return to_uint8(((sr[..., 0] + sr[..., 1] + sr[..., 2]) / 3) * 255)[..., None]
    rgb = to_uint8(sr * 255)
    if c == 3:
        return rgb
    alpha = resize_bicubic(img[..., 3:4], r, "up")
    return np.concatenate([rgb, alpha], axis=2)


