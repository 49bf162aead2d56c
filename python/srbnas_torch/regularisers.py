"""SRBNAS architecture regularisers (paper eq. 4–8, symbols of DESIGN §2; regularisers.ts).

R(α) = −Σ_edges (μ Σ_o |p_o| + ρ Σ_o p_o²), p = softmax(α); l1Target 'logits' puts the L1 on α
(with 'softmax', the paper's literal form, Σ|p| = 1 and the μ term has zero gradient).
R(β) = Σ_nodes (−Var_i(g_ij) + ν (Σ_i g_ij − 2)²), population variance.
L_arch = L1(val) + λ·lin(e)·R(α) + γ·lin(e)·R(β), lin(e) = min(1, e/E).
"""

import torch

from .search_space import NODES, node_edges


def reg_alpha(alpha: torch.Tensor, mu: float, rho: float, l1_target: str) -> torch.Tensor:
    p = torch.softmax(alpha, -1)
    l1 = p.abs().sum() if l1_target == "softmax" else alpha.abs().sum()
    l2 = (p * p).sum()
    return -(mu * l1 + rho * l2)


def reg_beta(gates: torch.Tensor, nu: float) -> torch.Tensor:
    total = None
    for j in range(NODES):
        edges = node_edges(j)
        g = gates[edges[0][0]: edges[0][0] + len(edges)]
        var = ((g - g.mean()) ** 2).mean()
        term = -var + nu * (g.sum() - 2) ** 2
        total = term if total is None else total + term
    return total


def lin(epoch: int, reg_epochs: int) -> float:
    if reg_epochs <= 0:
        return 1.0
    return min(1.0, max(0.0, epoch / reg_epochs))


def arch_loss(l1, r_alpha, r_beta, w_alpha: float, w_beta: float) -> torch.Tensor:
    return l1 + w_alpha * r_alpha + w_beta * r_beta
