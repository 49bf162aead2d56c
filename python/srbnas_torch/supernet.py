"""The SRBNAS supernet (DESIGN §2, src/core/search/supernet.ts):

    h = conv3x3_fp(3→C)(x_lr); s = cells(h); b = conv3x3_fp(C→C)(s) + h;
    y = depthToSpace_r(conv3x3_fp(C→3r²)(b)) + bicubic_r(x_lr)

Weights live in `weights`, α [14][6] and β [14] in `arch` (two seeded stores, as in the TS core:
seed and seed ^ 0x0a1fa), so the same seed gives the same initial supernet.
"""

from dataclasses import dataclass
from typing import Optional

import torch
from torch import nn

from .cell import SupernetCell
from .ede import EdeState
from .edge_gates import edge_gates
from .fp_conv import FpConv
from .params import Params
from .pixel_shuffle import depth_to_space
from .search_space import EDGES, PRIMITIVES

TAIL_INIT_GAIN = 0.01


@dataclass
class SupernetConfig:
    scale: int
    channels: int
    cells: int
    k: int
    groups: int
    seed: int
    alpha_init_std: Optional[float] = 1e-3


def check_supernet_config(c: SupernetConfig) -> None:
    for v, n in ((c.channels, "channels"), (c.cells, "cells"), (c.k, "k"), (c.groups, "groups")):
        if int(v) != v or v < 1:
            raise ValueError(f"{n} must be a positive integer, got {v}")
    if c.channels % c.k:
        raise ValueError(f"channels ({c.channels}) must be divisible by k ({c.k})")
    if (c.channels // c.k) % c.groups:
        raise ValueError(f"channels/k ({c.channels // c.k}) must be divisible by groups ({c.groups})")
    if c.channels % c.groups:
        raise ValueError(f"channels ({c.channels}) must be divisible by groups ({c.groups})")


class Supernet(nn.Module):
    def __init__(self, config: SupernetConfig):
        super().__init__()
        check_supernet_config(config)
        self.config = config
        C, r, seed = config.channels, config.scale, config.seed
        self.weights = Params(seed)
        self.arch = Params((seed ^ 0x0A1FA) & 0xFFFFFFFF)
        std = 1e-3 if config.alpha_init_std is None else config.alpha_init_std
        self.alpha = self.arch.variable("alpha", [EDGES, len(PRIMITIVES)],
                                        ("normal", std) if std > 0 else ("zeros",))
        self.beta = self.arch.variable("beta", [EDGES], ("zeros",))
        self.head = FpConv(self.weights, "head", 3, 3, C)
        self.cells = [SupernetCell(self.weights, f"cell{i}", C, config.k, config.groups)
                      for i in range(config.cells)]
        self.body = FpConv(self.weights, "body", 3, C, C)
        self.tail = FpConv(self.weights, "tail", 3, C, 3 * r * r, TAIL_INIT_GAIN)

    def forward(self, lr: torch.Tensor, bic: torch.Tensor, ede: EdeState) -> torch.Tensor:
        p = list(torch.softmax(self.alpha, -1).unbind(0))
        g = list(edge_gates(self.beta).unbind(0))
        h = self.head(lr)
        s0 = s1 = h
        for cell in self.cells:
            s0, s1 = s1, cell(s0, s1, p, g, ede)
        b = self.body(s1) + h
        return depth_to_space(self.tail(b), self.config.scale) + bic
