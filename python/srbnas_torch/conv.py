"""The convolutions, with filters kept in the tfjs layout of the model files.

Filters are [kh, kw, cin/groups, cout] (what model.json stores); output channel o belongs to
group ⌊o / (cout/groups)⌋ and reads that group's cin/groups input channels — the same grouping
as torch's `groups=`, so the conversion is a permute to [cout, cin/groups, kh, kw]. Stride 1,
'same' zero padding, odd kernels, dilation 1 or 2. Activations are NCHW here (NHWC in tfjs).
"""

from typing import Optional

import torch
import torch.nn.functional as F


def conv2d(x: torch.Tensor, w: torch.Tensor, groups: int = 1, dilation: int = 1,
           bias: Optional[torch.Tensor] = None) -> torch.Tensor:
    k = w.shape[0]
    if w.shape[1] != k or k % 2 != 1:
        raise ValueError(f"conv2d: kernel must be odd and square, got {w.shape[0]}x{w.shape[1]}")
    if x.shape[1] != w.shape[2] * groups:
        raise ValueError(
            f"conv2d: input has {x.shape[1]} channels, filter expects {w.shape[2]}x{groups} groups")
    pad = (k - 1) // 2 * dilation
    return F.conv2d(x, w.permute(3, 2, 0, 1), bias, 1, pad, dilation, groups)
