"""PC-DARTS channel shuffle on NCHW tensors (src/core/nn/channelShuffle.ts): view the channels as
[groups, C/groups], transpose, flatten; output channel j·groups + i takes input i·(C/groups) + j."""

import torch


def channel_shuffle(x: torch.Tensor, groups: int) -> torch.Tensor:
    n, c, h, w = x.shape
    if c % groups != 0:
        raise ValueError(f"channel_shuffle: {c} channels not divisible by {groups}")
    return x.view(n, groups, c // groups, h, w).transpose(1, 2).reshape(n, c, h, w)
