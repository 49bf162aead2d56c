"""Genotype JSON (DESIGN §2; src/core/search/genotype.ts): read, validate, write.

A rejection names the offending field, as the page and the CLI do.
"""

import json
import math
from typing import Any, Dict, Optional

from .search_space import EDGES, PRIMITIVES


class GenotypeError(ValueError):
    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field


def _finite(x: Any) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)


def _int(x: Any) -> bool:
    return _finite(x) and float(x).is_integer()


def _matrix(x: Any, field: str, rows: int, cols: Optional[int]) -> None:
    if not isinstance(x, list) or len(x) != rows:
        raise GenotypeError(field, f"must be an array of {rows} entries")
    for e, row in enumerate(x):
        if cols is None:
            if not _finite(row):
                raise GenotypeError(f"{field}[{e}]", "must be a finite number")
        else:
            if not isinstance(row, list) or len(row) != cols:
                raise GenotypeError(f"{field}[{e}]", f"must be an array of {cols} numbers")
            for o, v in enumerate(row):
                if not _finite(v):
                    raise GenotypeError(f"{field}[{e}][{o}]", "must be a finite number")


def _check_search(s: Any) -> Dict:
    if not isinstance(s, dict):
        raise GenotypeError("search", "must be an object")
    for k in ("mu", "rho", "lambda", "gamma", "seconds"):
        if not _finite(s.get(k)):
            raise GenotypeError(f"search.{k}", "must be a finite number")
    for k in ("nu", "groups"):
        if s.get(k) is not None and not _finite(s.get(k)):
            raise GenotypeError(f"search.{k}", "must be a finite number")
    for k in ("epochs", "seed", "channels", "cells", "k"):
        if not _int(s.get(k)):
            raise GenotypeError(f"search.{k}", "must be an integer")
    if s.get("l1Target") not in ("softmax", "logits"):
        raise GenotypeError("search.l1Target", "must be 'softmax' or 'logits'")
    if not isinstance(s.get("backend"), str):
        raise GenotypeError("search.backend", "must be a string")
    _matrix(s.get("alpha"), "search.alpha", EDGES, len(PRIMITIVES))
    _matrix(s.get("gates"), "search.gates", EDGES, None)
    return s


def validate_genotype_json(x: Any) -> Dict:
    """The validated genotype (normal, normal_concat, scale, searchSpace, search?)."""
    if not isinstance(x, dict):
        raise GenotypeError("(root)", "must be a JSON object")
    if x.get("format") != "srbnas-genotype":
        raise GenotypeError("format", 'must be "srbnas-genotype"')
    if x.get("version") != 1:
        raise GenotypeError("version", f"unsupported version {json.dumps(x.get('version'))} (expected 1)")
    if x.get("scale") not in (2, 3, 4) or isinstance(x.get("scale"), bool):
        raise GenotypeError("scale", "must be 2, 3 or 4")
    space = x.get("searchSpace")
    if not isinstance(space, list) or not space:
        raise GenotypeError("searchSpace", "must be a non-empty array of primitive names")
    for i, p in enumerate(space):
        if p not in PRIMITIVES:
            raise GenotypeError(f"searchSpace[{i}]",
                                f"unknown primitive {json.dumps(p)} (known: {', '.join(PRIMITIVES)})")
    normal = x.get("normal")
    if not isinstance(normal, list) or len(normal) != 8:
        raise GenotypeError("normal", "must be an array of 8 [op, input] pairs (2 per intermediate node)")
    pairs = []
    for p, pair in enumerate(normal):
        f = f"normal[{p}]"
        if not isinstance(pair, list) or len(pair) != 2:
            raise GenotypeError(f, "must be an [op, input] pair")
        op, inp = pair
        if op not in PRIMITIVES:
            raise GenotypeError(f"{f}[0]", f"unknown op {json.dumps(op)}")
        if op not in space:
            raise GenotypeError(f"{f}[0]", f"op '{op}' is not in searchSpace")
        node = p // 2
        if not _int(inp) or inp < 0 or inp > node + 1:
            raise GenotypeError(f"{f}[1]", f"input of node {node + 2} must be an integer in 0..{node + 1}")
        pairs.append([op, int(inp)])
    for j in range(4):
        if pairs[2 * j][1] == pairs[2 * j + 1][1]:
            raise GenotypeError(f"normal[{2 * j + 1}][1]", f"node {j + 2} uses input {pairs[2 * j][1]} twice")
    if x.get("normal_concat") != [2, 3, 4, 5]:
        raise GenotypeError("normal_concat", "must be [2, 3, 4, 5]")
    out = {"format": "srbnas-genotype", "version": 1, "scale": x["scale"], "normal": pairs,
           "normal_concat": [2, 3, 4, 5], "searchSpace": list(space)}
    if x.get("search") is not None:
        out["search"] = _check_search(x["search"])
    return out


def read_genotype(path: str) -> Dict:
    try:
        with open(path, encoding="utf8") as f:
            raw = json.load(f)
    except (OSError, ValueError) as e:
        raise ValueError(f"{path}: cannot read genotype JSON ({e})") from None
    try:
        return validate_genotype_json(raw)
    except GenotypeError as e:
        raise ValueError(f"{path}: {e}") from None


def to_genotype_json(genotype: Dict, scale: int, search: Optional[Dict] = None) -> Dict:
    out = {"format": "srbnas-genotype", "version": 1, "scale": scale,
           "normal": [[op, i] for op, i in genotype["normal"]],
           "normal_concat": list(genotype["normal_concat"]), "searchSpace": list(PRIMITIVES)}
    if search is not None:
        out["search"] = search
    return out
