"""A full-precision conv with bias (head/body/tail, the cell's 1×1 fuse), initialised as the TS
core's createFpConv: He normal with fan-in k²·cin and the given gain (0 = zeros), zero bias."""

import torch

from .conv import conv2d
from .params import Params


class FpConv:
    def __init__(self, params: Params, name: str, kernel: int, cin: int, cout: int,
                 gain: float = 1.0):
        init = ("zeros",) if gain == 0 else ("heNormal", kernel * kernel * cin, gain)
        self.w = params.variable(f"{name}/w", [kernel, kernel, cin, cout], init)
        self.b = params.variable(f"{name}/b", [cout], ("zeros",))

    def __call__(self, x: torch.Tensor) -> torch.Tensor:
        return conv2d(x, self.w, bias=self.b)
