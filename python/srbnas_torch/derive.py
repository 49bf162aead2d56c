"""Derivation of the discrete cell (DARTS `_parse` with PC-DARTS edge weighting; derive.ts).

Per node keep the 2 incoming edges with the largest g_ij · max_o p_o (stable sort: equal scores
keep the lower input first) and take argmax_o p_o (lowest index on ties) on each. Values are
float64, as the TS core computes them from the float32 α and β.
"""

import math
from typing import Dict, List, Sequence

from .search_space import NODES, PRIMITIVES, node_edges


def argmax(xs: Sequence[float]) -> int:
    best = 0
    for i in range(1, len(xs)):
        if xs[i] > xs[best]:
            best = i
    return best


def softmax_rows(alpha: Sequence[Sequence[float]]) -> List[List[float]]:
    out = []
    for row in alpha:
        m = max(row)
        e = [math.exp(a - m) for a in row]
        s = 0.0
        for x in e:
            s += x
        out.append([x / s for x in e])
    return out


def entropy_rows(p: Sequence[Sequence[float]]) -> List[float]:
    out = []
    for row in p:
        acc = 0.0
        for x in row:
            acc += x * math.log(x) if x > 0 else 0.0
        out.append(-acc)
    return out


def derive_genotype(alpha_softmax: Sequence[Sequence[float]], gates: Sequence[float]) -> Dict:
    normal = []
    for j in range(NODES):
        scored = []
        for edge, inp in node_edges(j):
            p = alpha_softmax[edge]
            scored.append({"input": inp, "op": argmax(p), "score": gates[edge] * max(p)})
        scored.sort(key=lambda s: -s["score"])  # stable
        for s in scored[:2]:
            normal.append([PRIMITIVES[s["op"]], s["input"]])
    return {"normal": normal, "normal_concat": [2, 3, 4, 5]}
