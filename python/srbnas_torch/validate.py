"""Validation on whole held-out training images (src/core/train/validate.ts): PSNR/SSIM on Y,
border = scale, averaged over images; inference tiled (96), as the TS core."""

from typing import List

import numpy as np

from .bicubic import to_uint8
from .infer import upscale_image
from .metrics import sr_score
from .patches import PreparedImage


def validate(net, images: List[PreparedImage], tile: int = 96):
    ps = ss = 0.0
    for im in images:
        s = sr_score(im.hr, upscale_image(net, im.lr, tile), net.config["scale"])
        ps += s["psnr"]
        ss += s["ssim"]
    return {"psnr": ps / len(images), "ssim": ss / len(images)}


def validate_bicubic(images: List[PreparedImage], scale: int):
    ps = ss = 0.0
    for im in images:
        s = sr_score(im.hr, to_uint8(im.bic.astype(np.float64) * 255), scale)
        ps += s["psnr"]
        ss += s["ssim"]
    return {"psnr": ps / len(images), "ssim": ss / len(images)}
