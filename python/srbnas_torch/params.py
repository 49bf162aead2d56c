"""Named trainable variables with seeded initialisation (src/core/nn/params.ts).

Modules ask for variables by hierarchical name ("cell0/edge3_bin_conv_3x3/w"); the names, shapes
(tfjs layout, filters [kh, kw, cin/groups, cout]) and creation order are those of the TypeScript
core, so the weights file of a model folder maps onto this store one to one, and the same seed
draws the same initial values.
"""

import math
from typing import Dict, Iterator, List, Tuple

import numpy as np
import torch
from torch import nn

from .rng import Rng


class Params(nn.Module):
    """An ordered store of named parameters (the names may contain '/')."""

    def __init__(self, seed: int):
        super().__init__()
        self.rng = Rng(seed)
        self.vars = nn.ParameterDict()

    def variable(self, name: str, shape: List[int], init: Tuple) -> nn.Parameter:
        """init: ('zeros',) | ('ones',) | ('constant', v) | ('heNormal', fanIn[, gain]) | ('normal', std)."""
        if name in self.vars:
            return self.vars[name]
        n = int(np.prod(shape)) if shape else 1
        kind = init[0]
        if kind == "zeros":
            data = np.zeros(n, np.float32)
        elif kind == "ones":
            data = np.ones(n, np.float32)
        elif kind == "constant":
            data = np.full(n, init[1], np.float32)
        elif kind == "heNormal":
            gain = init[2] if len(init) > 2 and init[2] is not None else math.sqrt(2)
            data = self.rng.normals(n, gain / math.sqrt(init[1]))
        elif kind == "normal":
            data = self.rng.normals(n, init[1])
        else:
            raise ValueError(f"unknown init {kind}")
        p = nn.Parameter(torch.from_numpy(data.reshape(shape)))
        self.vars[name] = p
        return p

    def named(self) -> Iterator[Tuple[str, nn.Parameter]]:
        return iter(self.vars.items())

    def names(self) -> List[str]:
        return list(self.vars.keys())

    def count(self) -> int:
        return sum(p.numel() for p in self.vars.values())

    def load_values(self, values: Dict[str, np.ndarray], what: str = "weights",
                    strict: bool = True) -> None:
        """Assign values by name; every variable must be present with its shape, and (strict)
        no value may be left over, so a file for another architecture fails loudly."""
        used = set()
        with torch.no_grad():
            for name, p in self.vars.items():
                if name not in values:
                    raise ValueError(f"{what}: no value for {name}")
                v = np.asarray(values[name], dtype=np.float32)
                if list(v.shape) != list(p.shape):
                    raise ValueError(
                        f"{what}: {name} has shape {list(v.shape)}, the network needs {list(p.shape)}")
                p.copy_(torch.from_numpy(np.ascontiguousarray(v)))
                used.add(name)
        extra = [k for k in values if k not in used]
        if strict and extra:
            raise ValueError(f"{what}: values for unknown variables: {', '.join(extra[:5])}")

    def to_numpy(self) -> Dict[str, np.ndarray]:
        return {k: p.detach().cpu().numpy().astype(np.float32) for k, p in self.vars.items()}


