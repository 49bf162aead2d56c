"""Training patches (src/core/data/patches.ts): aligned (LR, HR, bicubic) crops with seeded
flips/rotations — the same seed and images give the same batches as the TypeScript core.

Per image, once: HR = modcrop(RGB, r); LR = MATLAB bicubic downscale of HR rounded to uint8 (how
the benchmark LR files were made); BIC = float bicubic upscale of LR to the HR size (the network's
image shortcut, precomputed). Values in [0, 1]. Batches are NCHW float32 tensors here.
"""

from dataclasses import dataclass
from typing import List, Optional, Tuple

import numpy as np

from .bicubic import downscale_bicubic, resize_bicubic_float
from .image_io import modcrop, to_float, to_rgb
from .rng import Rng


@dataclass
class PreparedImage:
    name: str
    hr: np.ndarray   # uint8 HWC RGB
    lr: np.ndarray   # uint8 HWC RGB
    bic: np.ndarray  # float32 HWC RGB


def prepare_image(img: np.ndarray, scale: int, name: str = "") -> PreparedImage:
    hr = modcrop(to_rgb(img), scale)
    lr = downscale_bicubic(hr, scale)
    bic = resize_bicubic_float(to_float(lr), scale, "up", out_w=hr.shape[1], out_h=hr.shape[0])
    return PreparedImage(name, hr, lr, bic)


@dataclass
class PatchBatch:
    """NCHW float32 arrays: lr [B, 3, p, p], hr and bic [B, 3, p·r, p·r]."""
    lr: np.ndarray
    hr: np.ndarray
    bic: np.ndarray

    def shard(self, rank: int, world: int) -> "PatchBatch":
        """Contiguous rows rank·B/N .. (rank+1)·B/N (sizes differ by at most one)."""
        b = self.lr.shape[0]
        s, e = rank * b // world, (rank + 1) * b // world
        return PatchBatch(self.lr[s:e], self.hr[s:e], self.bic[s:e])


def _window(src: np.ndarray, x0: int, y0: int, s: int, t: int) -> np.ndarray:
    """The s×s window at (x0, y0) under dihedral transform t, exactly as copyWindow in the TS
    core: out[y, x] = src[y0 + v, x0 + u] with (u, v) = (y, x) if t & 4 else (x, y), then
    u → s−1−u if t & 1 and v → s−1−v if t & 2."""
    y, x = np.mgrid[0:s, 0:s]
    u, v = (y, x) if t & 4 else (x, y)
    if t & 1:
        u = s - 1 - u
    if t & 2:
        v = s - 1 - v
    return src[y0:y0 + s, x0:x0 + s][v, u]


class PatchSampler:
    """Seeded, endless stream of batches from a fixed image list (uniform over images)."""

    def __init__(self, images: List[PreparedImage], scale: int, patch: int, batch: int, seed: int,
                 augment: bool = True):
        if not images:
            raise ValueError("PatchSampler: no images")
        for im in images:
            if im.lr.shape[1] < patch or im.lr.shape[0] < patch:
                raise ValueError(f"image '{im.name}' (LR {im.lr.shape[1]}x{im.lr.shape[0]}) is "
                                 f"smaller than the patch {patch}")
        self.images, self.scale, self.patch, self.batch, self.augment = images, scale, patch, batch, augment
        self.rng = Rng(seed)
        self.drawn = 0

    def _draw(self) -> Tuple[PreparedImage, int, int, int]:
        im = self.images[self.rng.int(len(self.images))]
        x = self.rng.int(im.lr.shape[1] - self.patch + 1)
        y = self.rng.int(im.lr.shape[0] - self.patch + 1)
        t = self.rng.int(8) if self.augment else 0
        return im, x, y, t

    def next(self) -> PatchBatch:
        r, p, b = self.scale, self.patch, self.batch
        P = p * r
        lr = np.empty((b, p, p, 3), np.float32)
        hr = np.empty((b, P, P, 3), np.float32)
        bic = np.empty((b, P, P, 3), np.float32)
        k = 1 / 255
        for i in range(b):
            im, x, y, t = self._draw()
            lr[i] = _window(im.lr, x, y, p, t).astype(np.float64) * k
            hr[i] = _window(im.hr, x * r, y * r, P, t).astype(np.float64) * k
            bic[i] = _window(im.bic, x * r, y * r, P, t)
        self.drawn += 1
        nchw = lambda a: np.ascontiguousarray(a.transpose(0, 3, 1, 2))  # noqa: E731
        return PatchBatch(nchw(lr), nchw(hr), nchw(bic))

    def skip(self, n: int) -> None:
        """Advance by n batches without building them (the same draws as next())."""
        for _ in range(n):
            for _ in range(self.batch):
                self._draw()
            self.drawn += 1


def split_by_image(items: list, seed: int):
    """Seeded 50/50 split by image (w-train half first; the α-val half gets the extra image)."""
    if len(items) < 2:
        raise ValueError(f"need at least 2 training images to split, got {len(items)}")
    idx = list(range(len(items)))
    rng = Rng(seed)
    for i in range(len(idx) - 1, 0, -1):
        j = rng.int(i + 1)
        idx[i], idx[j] = idx[j], idx[i]
    half = len(items) // 2
    return [items[i] for i in idx[:half]], [items[i] for i in idx[half:]]


def search_data_from_images(images, scale: int, patch: int, batch: int, seed: int,
                            split_seed: Optional[int] = None):
    """(w-train sampler, α-val sampler, skipped names) from (name, uint8 image) pairs; the 50/50
    image split uses `split_seed` (default: `seed`), the crops `seed`."""
    prepared, skipped = [], []
    for name, img in images:
        if img.shape[1] // scale < patch or img.shape[0] // scale < patch:
            skipped.append(name)
            continue
        prepared.append(prepare_image(img, scale, name))
    train, val = split_by_image(prepared, seed if split_seed is None else split_seed)
    seeds = Rng(seed ^ 0x5EED)
    return (PatchSampler(train, scale, patch, batch, seeds.int(2 ** 31)),
            PatchSampler(val, scale, patch, batch, seeds.int(2 ** 31)), skipped)


def held_out_indices(count: int, val_images: int, seed: int) -> set:
    """The images `train --val-images N --seed S` holds out (and `search --hold-out` leaves out)."""
    order = list(range(count))
    rng = Rng(seed ^ 0x7A11)
    for i in range(len(order) - 1, 0, -1):
        j = rng.int(i + 1)
        order[i], order[j] = order[j], order[i]
    return set(order[:val_images])


def search_data_for(images, c: dict):
    """The data of a search with config `c` (its scale, patch, batch, seed and split seed)."""
    return search_data_from_images(images, c["scale"], c["patch"], c["batch"], c["seed"], c.get("splitSeed"))


def train_data_from_images(images, scale: int, patch: int, batch: int, seed: int, val_images: int):
    """src/core/train/data.ts: a seeded shuffle holds `val_images` images out for validation; the
    rest (those large enough for the patch) feed the patch sampler."""
    if val_images < 0 or val_images >= len(images):
        raise ValueError(f"--val-images must be in 0..{len(images) - 1}, got {val_images}")
    val_idx = held_out_indices(len(images), val_images, seed)
    train, val, skipped = [], [], []
    for i, (name, img) in enumerate(images):
        if i in val_idx:
            val.append(prepare_image(img, scale, name))
        elif img.shape[1] // scale < patch or img.shape[0] // scale < patch:
            skipped.append(name)
        else:
            train.append(prepare_image(img, scale, name))
    if not train:
        raise ValueError(f"no training image is large enough for patch {patch}")
    sampler = PatchSampler(train, scale, patch, batch, Rng(seed ^ 0x5EED).int(2 ** 31))
    return {"sampler": sampler, "val": val, "trainNames": [t.name for t in train],
            "valNames": [v.name for v in val], "skipped": skipped}
