"""Sub-pixel upsampling with tf.depthToSpace's channel order (src/core/nn/pixelShuffle.ts).

Input channel (i·r + j)·C + c lands at output pixel (h·r + i, w·r + j), channel c. torch's
PixelShuffle uses c·r² + i·r + j instead, so it cannot read our model files' tail conv.
"""

import torch


def depth_to_space(x: torch.Tensor, r: int) -> torch.Tensor:
    n, cr2, h, w = x.shape
    if cr2 % (r * r) != 0:
        raise ValueError(f"depth_to_space: {cr2} channels not divisible by {r}²")
    c = cr2 // (r * r)
    return x.view(n, r, r, c, h, w).permute(0, 3, 4, 1, 5, 2).reshape(n, c, h * r, w * r)
