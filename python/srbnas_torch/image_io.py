"""Image files as uint8 HWC arrays with 1 (gray), 3 (RGB) or 4 (RGBA) channels, following
src/core/image/codecNode.ts: gray PNGs stay 1 channel, opaque images drop alpha, palettes expand
to colour. PNG decoding is lossless, so pixels equal the CLI's; JPEG decoders may differ by a
grey level (PIL's libjpeg vs jpeg-js)."""

import os

import numpy as np
from PIL import Image as PILImage

MAX_PIXELS = 64_000_000


def read_image(path: str) -> np.ndarray:
    try:
        im = PILImage.open(path)
    except FileNotFoundError:
        raise ValueError(f"{path}: no such file") from None
    except OSError as e:
        raise ValueError(f"{path}: cannot decode image ({e})") from None
    if im.width * im.height > MAX_PIXELS:
        raise ValueError(f"{path}: image is {im.width}x{im.height}, above the limit of {MAX_PIXELS} pixels")
    mode = im.mode
    gray = mode in ("1", "L", "LA", "I", "I;16", "I;16B", "F")
    if mode in ("I;16", "I;16B", "I"):
        # 16-bit gray: scale to 8 bits like pngjs (value · 255 / 65535, rounded).
        a = np.asarray(im, dtype=np.float64)
        rgba = np.stack([np.round(a * 255 / 65535)] * 3 + [np.full(a.shape, 255.0)], -1).astype(np.uint8)
    else:
        rgba = np.asarray(im.convert("RGBA"))
    opaque = bool(np.all(rgba[..., 3] == 255))
    if not opaque:
        return np.ascontiguousarray(rgba)
    if gray:
        return np.ascontiguousarray(rgba[..., :1])
    return np.ascontiguousarray(rgba[..., :3])


def write_image(path: str, img: np.ndarray, quality: int = 92) -> None:
    c = img.shape[2]
    arr = img[..., 0] if c == 1 else img
    mode = {1: "L", 3: "RGB", 4: "RGBA"}[c]
    pil = PILImage.fromarray(np.ascontiguousarray(arr), mode)
    if path.lower().endswith((".jpg", ".jpeg")):
        pil.convert("RGB").save(path, quality=quality)
    else:
        pil.save(path, format="PNG")


def to_rgb(img: np.ndarray) -> np.ndarray:
    c = img.shape[2]
    if c == 3:
        return img
    if c == 1:
        return np.repeat(img, 3, axis=2)
    return np.ascontiguousarray(img[..., :3])


def to_float(img: np.ndarray) -> np.ndarray:
    """uint8 → float32 in [0, 1], as value · (1/255) in float64 then stored as float32."""
    return (img.astype(np.float64) * (1 / 255)).astype(np.float32)


def modcrop(img: np.ndarray, scale: int) -> np.ndarray:
    h = img.shape[0] - img.shape[0] % scale
    w = img.shape[1] - img.shape[1] % scale
    if h == 0 or w == 0:
        raise ValueError(f"image {img.shape[1]}x{img.shape[0]} is smaller than the scale {scale}")
    return img[:h, :w]


def list_images(folder: str):
    """PNG/JPEG files of a folder sorted by name (the TS core's loadImageDir order)."""
    names = sorted(n for n in os.listdir(folder) if n.lower().endswith((".png", ".jpg", ".jpeg")))
    if not names:
        raise ValueError(f"no PNG or JPEG images in {folder}")
    return names


def load_image_dir(folder: str):
    out = []
    for n in list_images(folder):
        try:
            out.append((n, read_image(os.path.join(folder, n))))
        except ValueError as e:
            raise ValueError(f"{n}: {e}") from None
    return out
