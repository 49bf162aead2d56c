"""Libra-PB weight binarisation (IR-Net), per OUTPUT channel (src/core/nn/libraPB*.ts).

For a filter in tfjs layout [kh, kw, cin/groups, cout]: Ŵ = (W − mean W) / std W with the
population std and 1e-12 under the root; B_w = sign(Ŵ) with sign(0) = +1;
S = round(log2(mean|Ŵ|)) with halves rounded up (JavaScript's Math.round), no gradient through S.
The op returns B_w · 2^S (2^S folded into the filter, which is exact).

The statistics are computed in float64, as the CLI's WASM path does (libraPBHost.ts): a filter
is tiny, and float64 keeps sign(Ŵ) and S identical to the CLI's even for values at a boundary.
Backward, per output channel with n weights and g = dy · 2^S · EDE'(Ŵ):
dL/dW = (g − mean g − Ŵ · mean(g ⊙ Ŵ)) / σ.
"""

import torch

from .ede import EdeState

STD_EPS = 1e-12


def libra_pb_stats(w: torch.Tensor):
    """(Ŵ, σ, 2^S) in float64; Ŵ has w's shape, σ and 2^S are [cout]."""
    wd = w.detach().double()
    cout = wd.shape[-1]
    flat = wd.reshape(-1, cout)
    mean = flat.mean(0)
    sigma = torch.sqrt(((flat - mean) ** 2).mean(0) + STD_EPS)
    w_hat = (flat - mean) / sigma
    s = torch.floor(torch.log2(w_hat.abs().mean(0)) + 0.5)
    return w_hat.reshape(wd.shape), sigma, torch.pow(2.0, s)


class BinarizeWeights(torch.autograd.Function):
    @staticmethod
    def forward(ctx, w, t: float, k: float, ede: bool):  # type: ignore[override]
        w_hat, sigma, scale = libra_pb_stats(w)
        ctx.save_for_backward(w_hat, sigma, scale)
        ctx.t, ctx.k, ctx.use_ede = t, k, ede
        return torch.where(w_hat >= 0, scale, -scale).to(w.dtype)

    @staticmethod
    def backward(ctx, dy):  # type: ignore[override]
        w_hat, sigma, scale = ctx.saved_tensors
        g = dy.double() * scale
        if ctx.use_ede:
            th = torch.tanh(ctx.t * w_hat)
            g = g * (ctx.k * ctx.t * (1 - th * th))
        cout = g.shape[-1]
        g2 = g.reshape(-1, cout)
        wh2 = w_hat.reshape(-1, cout)
        dw = (g2 - g2.mean(0) - wh2 * (g2 * wh2).mean(0)) / sigma
        return dw.reshape(dy.shape).to(dy.dtype), None, None, None


def binarize_weights(w: torch.Tensor, ede: EdeState, grad: str = "ede") -> torch.Tensor:
    """B_w · 2^S with the Libra-PB + EDE gradient ('identity' = straight-through, for tests)."""
    return BinarizeWeights.apply(w, ede.t, ede.k, grad == "ede")
