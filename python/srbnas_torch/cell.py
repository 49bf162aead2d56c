"""DARTS normal cell of the supernet (src/core/search/cell.ts): states 0, 1 are the outputs of
cells i−2 and i−1; node j (states 2..5) = Σ_i g_ij · MixedOp_ij(state_i);
output = conv1x1_fp(concat(nodes 2..5)) + s1."""

from typing import List

import torch

from .ede import EdeState
from .fp_conv import FpConv
from .mixed_op import MixedOp
from .params import Params
from .search_space import NODES, node_edges

FUSE_INIT_GAIN = 0.1


class SupernetCell:
    def __init__(self, params: Params, name: str, channels: int, k: int, groups: int):
        self.edges = {}
        for j in range(NODES):
            for edge, _ in node_edges(j):
                self.edges[edge] = MixedOp(params, f"{name}/edge{edge}", channels, k, groups)
        self.fuse = FpConv(params, f"{name}/fuse", 1, NODES * channels, channels, FUSE_INIT_GAIN)

    def __call__(self, s0, s1, p: List[torch.Tensor], gates: List[torch.Tensor],
                 ede: EdeState) -> torch.Tensor:
        states = [s0, s1]
        for j in range(NODES):
            acc = None
            for edge, inp in node_edges(j):
                term = gates[edge] * self.edges[edge](states[inp], p[edge], ede)
                acc = term if acc is None else acc + term
            states.append(acc)
        return self.fuse(torch.cat(states[2:], 1)) + s1
