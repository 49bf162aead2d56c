"""The L1 loss of search and training, with tfjs' subgradient of |x| at 0.

tfjs differentiates abs as step(x, −1), i.e. −1 at x = 0, where torch's abs gives 0. Exact zeros
are common at the start of training: the evaluation network's tail starts at zero, so SR equals
the bicubic shortcut, which equals HR exactly on flat areas (measured: with torch's abs the first
step's tail/b gradient differed from tfjs' by 67 %). Same value, same gradient as the TS core.
"""

import torch


class AbsTf(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):  # type: ignore[override]
        ctx.save_for_backward(x)
        return x.abs()

    @staticmethod
    def backward(ctx, dy):  # type: ignore[override]
        (x,) = ctx.saved_tensors
        return dy * ((x > 0).to(dy.dtype) * 2 - 1)


def abs_diff(sr: torch.Tensor, hr: torch.Tensor) -> torch.Tensor:
    return AbsTf.apply(sr - hr)
