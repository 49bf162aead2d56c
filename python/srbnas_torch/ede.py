"""EDE, IR-Net's Error Decay Estimator (src/core/nn/ede.ts, DESIGN §2).

Forward: sign(x) with sign(0) = +1 (a true binary value). Backward: dy · k · t · (1 − tanh²(t·x)),
computed as 4·k·t·σ(2tx)(1 − σ(2tx)) like the TypeScript core (the same value).
"""

import math
from dataclasses import dataclass

import torch


@dataclass(frozen=True)
class EdeState:
    t: float
    k: float


def ede_schedule(epoch: float, epochs: int, t_min: float = 0.1, t_max: float = 10.0) -> EdeState:
    """t = 10^(log10 Tmin + (log10 Tmax − log10 Tmin) · e / epochs), k = max(1/t, 1)."""
    frac = min(max(epoch / epochs, 0.0), 1.0) if epochs > 0 else 1.0
    t = math.pow(10, math.log10(t_min) + (math.log10(t_max) - math.log10(t_min)) * frac)
    return EdeState(t, max(1 / t, 1.0))


def binary_sign(x: torch.Tensor) -> torch.Tensor:
    """±1 with sign(0) = +1."""
    return (x >= 0).to(x.dtype) * 2 - 1


def ede_derivative(x: torch.Tensor, ede: EdeState) -> torch.Tensor:
    sg = torch.sigmoid(x * (2 * ede.t))
    return sg * (1 - sg) * (4 * ede.k * ede.t)


class EdeSign(torch.autograd.Function):
    """sign with EDE's surrogate gradient (for activations)."""

    @staticmethod
    def forward(ctx, x, t: float, k: float):  # type: ignore[override]
        ctx.save_for_backward(x)
        ctx.ede = EdeState(t, k)
        return binary_sign(x)

    @staticmethod
    def backward(ctx, dy):  # type: ignore[override]
        (x,) = ctx.saved_tensors
        return dy * ede_derivative(x, ctx.ede), None, None


def ede_sign(x: torch.Tensor, ede: EdeState) -> torch.Tensor:
    return EdeSign.apply(x, ede.t, ede.k)
