"""Table 1 search space and the DARTS normal cell's edges (src/core/search/searchSpace.ts, types.ts)."""

from typing import List, Optional, Tuple

PRIMITIVES = [
    "bin_dil_conv_3x3",
    "bin_conv_3x3",
    "bin_dil_conv_5x5",
    "bin_conv_5x5",
    "bin_conv_7x7",
    "skip_connect",
]

_KERNELS = {
    "bin_dil_conv_3x3": (3, 2),
    "bin_conv_3x3": (3, 1),
    "bin_dil_conv_5x5": (5, 2),
    "bin_conv_5x5": (5, 1),
    "bin_conv_7x7": (7, 1),
    "skip_connect": None,
}

NODES = 4
EDGES = 14


def primitive_spec(p: str) -> Optional[Tuple[int, int]]:
    """(kernel, dilation) of a binary conv primitive, None for skip_connect."""
    if p not in _KERNELS:
        raise ValueError(f"unknown primitive '{p}'")
    return _KERNELS[p]


def node_edges(j: int) -> List[Tuple[int, int]]:
    """(edge index, input state) of intermediate node j (0-based), DARTS order."""
    start = sum(n + 2 for n in range(j))
    return [(start + i, i) for i in range(j + 2)]
