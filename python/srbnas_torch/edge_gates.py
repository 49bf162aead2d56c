"""Edge gates (EBNAS-style edge normalisation, src/core/search/edgeGates.ts):
g_ij = σ(β_ij + b_j) with b_j = logit(2/n_j) for a node with n_j inputs; the first node's two
gates are fixed at 1 (and their β get no gradient)."""

import math
from typing import List, Sequence

import torch

from .search_space import EDGES, NODES, node_edges


def gate_prior(n_inputs: int) -> float:
    p = 2 / n_inputs
    return math.log(p / (1 - p))


def _table():
    offset = [0.0] * EDGES
    learned = [0.0] * EDGES
    for j in range(NODES):
        n = j + 2
        for edge, _ in node_edges(j):
            if n > 2:
                offset[edge] = gate_prior(n)
                learned[edge] = 1.0
    return offset, learned


OFFSET, LEARNED = _table()


def edge_gates(beta: torch.Tensor) -> torch.Tensor:
    learned = torch.tensor(LEARNED, dtype=beta.dtype, device=beta.device)
    g = torch.sigmoid(beta + torch.tensor(OFFSET, dtype=beta.dtype, device=beta.device))
    return g * learned + (1 - learned)


def edge_gates_list(beta: Sequence[float]) -> List[float]:
    """Same in float64 plain Python (snapshots, derivation)."""
    return [1 / (1 + math.exp(-(beta[e] + OFFSET[e]))) if LEARNED[e] else 1.0
            for e in range(EDGES)]
