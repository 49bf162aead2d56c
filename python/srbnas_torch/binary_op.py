"""The search-space op (docs/design.md §2.2, docs/model-format.md §3; src/core/nn/binaryOp.ts):

    op(x) = x + s ⊙ (2^S · conv_g(sign(x − τ), sign(Ŵ))) / √fanIn

τ: learnable threshold per INPUT channel (init 0); Ŵ, 2^S: Libra-PB; s: learnable scale per
output channel replacing BN (init 0.1); fanIn = k²·C/groups (a fixed constant that puts every
op's s on the same scale).

Training folds the per-output-channel factors into the small filter, as the TS core does. At
inference (no autograd) the op computes the model format's exact form instead: the integer
dot = conv(sign(x − τ), B), then out = x + dot · c with c = f32(f32(s · f32(1/√fanIn)) · 2^S) —
what a packed model stores and what the TS engines compute. The two differ by float rounding.
"""

import math

import torch

from .conv import conv2d
from .ede import EdeState, binary_sign, ede_sign
from .libra_pb import binarize_weights, libra_pb_stats
from .params import Params

S_INIT = 0.1


def binary_op_exact(x, tau, sign, scale, groups: int, dilation: int) -> torch.Tensor:
    """x + dot · c: dot = conv(sign(x − τ), B) is an integer (exact in float32), zero padding 0."""
    a = binary_sign(x - tau.view(1, -1, 1, 1))
    return x + conv2d(a, sign, groups, dilation) * scale.view(1, -1, 1, 1)


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

    def fold(self):
        """(B as ±1 float32, c [cout]) of docs/model-format.md §3 steps 1–4."""
        w_hat, _, scale = libra_pb_stats(self.w)
        sign = torch.where(w_hat >= 0, 1.0, -1.0).to(self.w.dtype)
        norm = torch.tensor(self.norm, dtype=torch.float32)
        return sign, ((self.s.detach() * norm) * scale.to(torch.float32))

    def __call__(self, x: torch.Tensor, ede: EdeState) -> torch.Tensor:
        if not torch.is_grad_enabled():
            sign, c = self.fold()
            return binary_op_exact(x, self.tau, sign, c, self.groups, self.dilation)
        shifted = x - self.tau.view(1, -1, 1, 1)
        filt = binarize_weights(self.w, ede) * (self.s * self.norm)
        return x + conv2d(ede_sign(shifted, ede), filt, self.groups, self.dilation)


class PackedBinaryOp:
    """The op of a packed model (inference only): P/wsign (B, ±1), P/scale (c), P/tau."""

    def __init__(self, params: Params, name: str, channels: int, kernel: int, dilation: int,
                 groups: int):
        cg = channels // groups
        self.groups, self.dilation = groups, dilation
        self.sign = params.variable(f"{name}/wsign", [kernel, kernel, cg, channels], ("ones",))
        self.scale = params.variable(f"{name}/scale", [channels], ("zeros",))
        self.tau = params.variable(f"{name}/tau", [channels], ("zeros",))

    def __call__(self, x: torch.Tensor, ede: EdeState) -> torch.Tensor:
        return binary_op_exact(x, self.tau, self.sign, self.scale, self.groups, self.dilation)
