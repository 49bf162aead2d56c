"""PC-DARTS mixed op on one edge (src/core/search/mixedOp.ts): the first C/k channels go through
Σ_o p_o · op_o, the rest bypass; concatenate, then channel_shuffle(k). p = softmax(α_edge) comes
from the caller (α is shared by all cells, as in DARTS)."""

import torch

from .binary_op import BinaryOp
from .channel_shuffle import channel_shuffle
from .ede import EdeState
from .params import Params
from .search_space import PRIMITIVES, primitive_spec


class MixedOp:
    def __init__(self, params: Params, name: str, channels: int, k: int, groups: int):
        if channels % k != 0:
            raise ValueError(f"{name}: channels {channels} not divisible by k = {k}")
        self.k = k
        self.cp = channels // k
        self.ops = []
        for prim in PRIMITIVES:
            spec = primitive_spec(prim)
            self.ops.append(None if spec is None else
                            BinaryOp(params, f"{name}/{prim}", self.cp, spec[0], spec[1], groups))

    def __call__(self, x: torch.Tensor, p: torch.Tensor, ede: EdeState) -> torch.Tensor:
        xa = x[:, : self.cp]
        acc = None
        for i, op in enumerate(self.ops):  # chained adds in primitive order, like the TS core
            term = (op(xa, ede) if op is not None else xa) * p[i]
            acc = term if acc is None else acc + term
        if self.cp == x.shape[1]:
            return acc
        return channel_shuffle(torch.cat([acc, x[:, self.cp:]], 1), self.k)
