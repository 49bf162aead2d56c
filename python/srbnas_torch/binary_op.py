"""The search-space op (DESIGN §2, src/core/nn/binaryOp.ts):

    op(x) = x + s ⊙ (2^S · conv_g(sign(x − τ), sign(Ŵ))) / √fanIn

τ: learnable threshold per INPUT channel (init 0); Ŵ, 2^S: Libra-PB; s: learnable scale per
output channel replacing BN (init 0.1); fanIn = k²·C/groups (a fixed constant that puts every
op's s on the same scale). The per-output-channel factors are folded into the small filter, as
the TypeScript core does.
"""

import math

import torch

from .conv import conv2d
from .ede import EdeState, ede_sign
from .libra_pb import binarize_weights
from .params import Params

S_INIT = 0.1


class BinaryOp:
    def __init__(self, params: Params, name: str, channels: int, kernel: int, dilation: int,
                 groups: int):
        if channels % groups != 0:
            raise ValueError(
                f"BinaryOp({name}): {channels} channels not divisible by {groups} groups")
        cg = channels // groups
        fan_in = kernel * kernel * cg
        self.channels, self.groups, self.dilation = channels, groups, dilation
        self.w = params.variable(f"{name}/w", [kernel, kernel, cg, channels], ("heNormal", fan_in))
        self.tau = params.variable(f"{name}/tau", [channels], ("zeros",))
        self.s = params.variable(f"{name}/s", [channels], ("constant", S_INIT))
        self.norm = 1 / math.sqrt(fan_in)

    def __call__(self, x: torch.Tensor, ede: EdeState) -> torch.Tensor:
        shifted = x - self.tau.view(1, -1, 1, 1)
        filt = binarize_weights(self.w, ede) * (self.s * self.norm)
        return x + conv2d(ede_sign(shifted, ede), filt, self.groups, self.dilation)
