"""Search presets and training defaults, mirroring src/core/search/presets.ts (`paper`,
`standard` = DEFAULT_SEARCH_CONFIG, `demo`) and src/core/train/trainer.ts (DEFAULT_TRAIN_CONFIG).
It also mirrors the settings table of src/core/search/params.ts (SEARCH_PARAMS: each setting's
flag, range or choices) and its validator (search_config_problems), which `search` applies to its
flags as `srbnas search` does. tests/test_parity_step.py compares them with the TypeScript values,
so a change on one side fails until the other follows."""

import math
from decimal import Decimal
from typing import Dict, List, Optional

# The paper's search as printed (EBNAS values where it defers to them; DESIGN §2).
PAPER_CONFIG = {
    "scale": 3,
    "cells": 3,
    "channels": 64,
    "k": 8,
    "groups": 4,
    "epochs": 100,
    "stepsPerEpoch": 20,
    "batch": 16,
    "patch": 24,
    "seed": 1,
    "warmupEpochs": 25,
    "regEpochs": 100,
    "tMin": 0.1,
    "tMax": 10,
    "wLr": 1e-3,
    "archLr": 6e-4,
    "archWeightDecay": 1e-3,
    "mu": 0.8,
    "rho": 0.2,
    "lambda": 1.5,
    "gamma": 0.8,
    "nu": 0.5,
    "l1Target": "softmax",
    "alphaInitStd": 1e-3,
    "dataWeight": 1,
}

# The paper's size with the data-driven α settings: κ = 1e5 scales the validation L1 in L_arch
# (its α gradient is ~1e4× below the regularisers' at κ = 1) and a 10× α/β learning rate.
STANDARD_CONFIG = {**PAPER_CONFIG, "dataWeight": 1e5, "archLr": 6e-3}

# Standard's settings at a size that finishes in minutes on two CPU cores.
DEMO_CONFIG = {**STANDARD_CONFIG, "cells": 3, "channels": 16, "k": 4, "groups": 2, "batch": 8,
               "patch": 16, "epochs": 10, "stepsPerEpoch": 55, "warmupEpochs": 5, "regEpochs": 10}

SEARCH_PRESETS = {"paper": PAPER_CONFIG, "standard": STANDARD_CONFIG, "demo": DEMO_CONFIG}
SEARCH_PRESET_NAMES = ["demo", "standard", "paper"]
DEFAULT_SEARCH_CONFIG = STANDARD_CONFIG

DEFAULT_TRAIN_CONFIG = {
    "epochs": 100,
    "stepsPerEpoch": 100,
    "batch": 16,
    "patch": 24,
    "lr": 1e-3,
    "seed": 1,
    "tMin": 0.1,
    "tMax": 10,
}

LIVE_KEYS = ("mu", "rho", "lambda", "gamma", "nu", "l1Target")


def with_search_defaults(c: Dict) -> Dict:
    """Fields a config lacks (absent or None) filled with the table's defaults, the paper's values
    (configs saved before κ or the α init std existed run with them); optional fields without one
    (splitSeed) stay absent. As withSearchDefaults."""
    return {**c, **{k: v for k, v in PAPER_CONFIG.items() if c.get(k) is None}}


def preset_of(c: Dict) -> Optional[str]:
    """The preset a config equals on every field but seed and scale, else None (custom)."""
    full = with_search_defaults(c)
    for name in SEARCH_PRESET_NAMES:
        p = SEARCH_PRESETS[name]
        if all(k in ("seed", "scale") or full.get(k) == v for k, v in p.items()):
            return name
    return None


def _int(flag: str, label: str, lo: int, hi: int, optional: bool = False) -> Dict:
    row = {"flag": flag, "label": label, "min": lo, "max": hi, "integer": True}
    return {**row, "optional": True} if optional else row


def _real(flag: str, label: str, lo: float, hi: float) -> Dict:
    return {"flag": flag, "label": label, "min": lo, "max": hi, "integer": False}


# The settings table of src/core/search/params.ts (SEARCH_PARAMS), in its order: each key's
# `search` flag, the label its problems name, and its range (min..max inclusive, whole numbers
# or not) or its choices. Optional rows have no default (absent: the CLI's fallback); the
# others' defaults are PAPER_CONFIG.
SEARCH_PARAMS = {
    "scale": {"flag": "--scale", "label": "scale", "choices": [2, 3, 4]},
    "cells": _int("--cells", "cells N", 1, 8),
    "channels": _int("--channels", "channels C", 4, 256),
    "k": _int("--k", "partial-channel k", 1, 16),
    "groups": _int("--groups", "groups", 1, 16),
    "epochs": _int("--epochs", "epochs", 1, 10000),
    "stepsPerEpoch": _int("--steps-per-epoch", "steps / epoch", 1, 10000),
    "warmupEpochs": _int("--warmup", "warm-up epochs", 0, 10000),
    "batch": _int("--batch", "batch", 1, 256),
    "patch": _int("--patch", "LR patch", 4, 128),
    "seed": _int("--seed", "seed", 0, 2**31 - 1),
    "mu": _real("--mu", "μ (L1 on p)", 0, 2),
    "rho": _real("--rho", "ρ (L2 on p)", 0, 2),
    "lambda": _real("--lambda", "λ (R(α) weight)", 0, 5),
    "gamma": _real("--gamma", "γ (R(β) weight)", 0, 5),
    "nu": _real("--nu", "ν (R(β) sum-to-2)", 0, 5),
    "l1Target": {"flag": "--l1-target", "label": "L1 target of the μ term", "choices": ["softmax", "logits"]},
    "dataWeight": _real("--data-weight", "κ (data weight in L_arch)", 0, 1e6),
    "regEpochs": _int("--reg-epochs", "E (lin(e) ramp)", 1, 10000),
    "tMin": _real("--t-min", "EDE Tmin", 0.001, 10),
    "tMax": _real("--t-max", "EDE Tmax", 0.1, 100),
    "wLr": _real("--w-lr", "weight lr", 1e-6, 1),
    "archLr": _real("--arch-lr", "α/β lr", 1e-6, 1),
    "archWeightDecay": _real("--arch-wd", "α/β weight decay", 0, 1),
    "alphaInitStd": _real("--alpha-init", "α init std", 0, 10),
    "splitSeed": _int("--split-seed", "split seed", 0, 2**31 - 1, optional=True),
}


def js_str(v) -> str:
    """A value as JavaScript's String() writes it (10 not 10.0, 0.000001 not 1e-06, 1e-7 not
    1e-07), so the problems read as `srbnas search` prints them."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if v is None:
        return "null"
    if not isinstance(v, (int, float)):
        return str(v)
    if isinstance(v, int):
        return str(v)
    if math.isnan(v):
        return "NaN"
    if math.isinf(v):
        return "Infinity" if v > 0 else "-Infinity"
    if v == 0:
        return "0"
    sign, digits, exp = Decimal(repr(v)).normalize().as_tuple()  # the shortest round-trip digits
    d = "".join(map(str, digits))
    k, n = len(d), len(d) + exp  # v = 0.d × 10^n
    if k <= n <= 21:
        s = d + "0" * (n - k)
    elif 0 < n <= 21:
        s = d[:n] + "." + d[n:]
    elif -6 < n <= 0:
        s = "0." + "0" * -n + d
    else:
        s = d[0] + ("." + d[1:] if k > 1 else "") + "e" + ("+" if n > 0 else "-") + str(abs(n - 1))
    return ("-" if sign else "") + s


def param_value_problem(p: Dict, v) -> Optional[str]:
    """Why a value does not fit its row (None: it fits); paramValueProblem."""
    if "choices" in p:
        ok = not isinstance(v, bool) and v in p["choices"]  # 3 == 3.0, "3" != 3, as includes()
        return None if ok else f"must be one of {', '.join(js_str(x) for x in p['choices'])}"
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
        return "must be a number"
    if p["integer"] and v != int(v):
        return "must be a whole number"
    if v < p["min"] or v > p["max"]:
        return f"must be in {js_str(p['min'])}..{js_str(p['max'])}"
    return None


def search_config_problems(c: Dict) -> List[Dict]:
    """Everything that would make a search config fail or be meaningless, as searchConfigProblems:
    values outside their rows, then (only when every value fits) the cross-field rules. Each
    problem: {"keys": the settings involved, "message": the text `srbnas search` prints}."""
    out = []
    c = with_search_defaults(c)
    for key, p in SEARCH_PARAMS.items():
        v = c.get(key)
        if v is None and p.get("optional"):
            continue  # optional and absent
        why = param_value_problem(p, v)
        if why:
            out.append({"keys": [key], "message": f"{p['label']} ({js_str(v)}) {why}"})
    if out:
        return out  # the cross-field rules assume valid numbers
    if c["channels"] % c["k"] != 0:
        out.append({"keys": ["channels", "k"],
                    "message": f"channels C ({js_str(c['channels'])}) must be divisible by k ({js_str(c['k'])})"})
    elif (c["channels"] / c["k"]) % c["groups"] != 0:
        ck = js_str(c["channels"] / c["k"])
        out.append({"keys": ["channels", "k", "groups"],
                    "message": f"C/k ({ck}) must be divisible by groups ({js_str(c['groups'])})"})
    if c["tMin"] >= c["tMax"]:
        out.append({"keys": ["tMin", "tMax"],
                    "message": f"EDE Tmin ({js_str(c['tMin'])}) must be below Tmax ({js_str(c['tMax'])})"})
    if c["warmupEpochs"] >= c["epochs"]:
        out.append({"keys": ["warmupEpochs", "epochs"],
                    "message": f"warm-up ({js_str(c['warmupEpochs'])}) must be shorter than epochs "
                               f"({js_str(c['epochs'])}), else α never moves"})
    return out


def search_config_usage(c: Dict) -> Optional[str]:
    """The problems of a config as `srbnas search`'s usage error (flags, then the message; `; `
    between problems), or None when there are none."""
    problems = search_config_problems(c)
    if not problems:
        return None
    return "; ".join(", ".join(SEARCH_PARAMS[k]["flag"] for k in p["keys"]) + ": " + p["message"]
                     for p in problems)
