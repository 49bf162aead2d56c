"""Architecture configs of model.json's `architecture` (src/core/model/config.ts) and their
counts (src/core/model/count.ts): parameters, size with 1-bit binary weights, FLOPs/BOPs per HR
pixel, and the receptive-field radius tiled inference overlaps by."""

import json
from typing import Dict, List

from .search_space import primitive_spec

ARCHS = ("srbnas", "espcn", "srresnet-bnn", "vdsr-bnn")


def check_arch_config(c: Dict) -> None:
    def need_int(v, n, lo=1):
        if not isinstance(v, int) or isinstance(v, bool) or v < lo:
            raise ValueError(f"architecture.{n} must be an integer >= {lo}, got {json.dumps(v)}")

    if c.get("arch") not in ARCHS:
        raise ValueError(f"architecture.arch must be one of {', '.join(ARCHS)}, got {c.get('arch')}")
    if c.get("scale") not in (2, 3, 4):
        raise ValueError(f"architecture.scale must be 2, 3 or 4, got {json.dumps(c.get('scale'))}")
    a = c["arch"]
    if a == "espcn":
        w = c.get("widths")
        if not isinstance(w, list) or len(w) != 2:
            raise ValueError("architecture.widths must be [w1, w2]")
        for i, x in enumerate(w):
            need_int(x, f"widths[{i}]")
        return
    if a == "srbnas":
        need_int(c.get("cells"), "cells")
    elif a == "srresnet-bnn":
        need_int(c.get("blocks"), "blocks", 0)
    else:
        need_int(c.get("layers"), "layers", 0)
    need_int(c.get("channels"), "channels")
    need_int(c.get("groups"), "groups")
    if c["channels"] % c["groups"]:
        raise ValueError(
            f"architecture.channels ({c['channels']}) must be divisible by groups ({c['groups']})")


def describe_arch(c: Dict) -> str:
    a = c["arch"]
    if a == "srbnas":
        return f"SRBNAS {c['cells']} cells C={c['channels']} g={c['groups']} x{c['scale']}"
    if a == "espcn":
        return f"ESPCN {'/'.join(map(str, c['widths']))} x{c['scale']}"
    if a == "srresnet-bnn":
        return f"SRResNet-BNN {c['blocks']} blocks C={c['channels']} g={c['groups']} x{c['scale']}"
    return f"VDSR-BNN {c['layers']} binary layers C={c['channels']} g={c['groups']} x{c['scale']}"


def _fp(kernel, cin, cout, hr=False):
    return {"binary": False, "kernel": kernel, "cin": cin, "cout": cout, "groups": 1, "hr": hr}


def _bin(kernel, c, groups, hr=False):
    return {"binary": True, "kernel": kernel, "cin": c, "cout": c, "groups": groups, "hr": hr}


def conv_layers(c: Dict) -> List[Dict]:
    r = c["scale"]
    a = c["arch"]
    if a == "espcn":
        w1, w2 = c["widths"]
        return [_fp(5, 3, w1), _fp(3, w1, w2), _fp(3, w2, 3 * r * r)]
    C = c.get("channels")
    if a == "srbnas":
        out = [_fp(3, 3, C)]
        for _ in range(c["cells"]):
            for prim, _inp in c["genotype"]["normal"]:
                spec = primitive_spec(prim)
                if spec is not None:
                    out.append(_bin(spec[0], C, c["groups"]))
            out.append(_fp(1, len(c["genotype"]["normal_concat"]) * C, C))
        return out + [_fp(3, C, C), _fp(3, C, 3 * r * r)]
    if a == "srresnet-bnn":
        out = [_fp(3, 3, C)]
        for _ in range(c["blocks"]):
            out += [_bin(3, C, c["groups"]), _bin(3, C, c["groups"])]
        return out + [_fp(3, C, C), _fp(3, C, 3 * r * r)]
    out = [_fp(3, 3, C, True)] + [_bin(3, C, c["groups"], True) for _ in range(c["layers"])]
    return out + [_fp(3, C, 3, True)]


def count_model(c: Dict) -> Dict:
    binary = fp = 0
    flops = bops = 0.0
    r = c["scale"]
    for l in conv_layers(c):
        weights = l["kernel"] * l["kernel"] * (l["cin"] // l["groups"]) * l["cout"]
        per_hr = weights if l["hr"] else weights / (r * r)
        if l["binary"]:
            binary += weights
            fp += l["cin"] + l["cout"]
            bops += per_hr
        else:
            fp += weights + l["cout"]
            flops += per_hr
    size = binary / 8 + 4 * fp
    return {"params": binary + fp, "binaryParams": binary, "fpParams": fp,
            "sizeBytes": int(size) if float(size).is_integer() else size,
            "flopsPerPixel": flops, "bopsPerPixel": bops, "opsPerPixel": flops + bops / 64}


_OP_RADIUS = {"bin_conv_3x3": 1, "bin_dil_conv_3x3": 2, "bin_conv_5x5": 2,
              "bin_dil_conv_5x5": 4, "bin_conv_7x7": 3, "skip_connect": 0}


def receptive_radius(c: Dict) -> int:
    """LR pixels an output depends on: tiles overlapping by this give the untiled result."""
    a = c["arch"]
    if a == "espcn":
        return 4
    if a == "srresnet-bnn":
        return 1 + 2 * c["blocks"] + 2
    if a == "vdsr-bnn":
        return -(-(2 + c["layers"]) // c["scale"])
    g = c["genotype"]
    r0 = r1 = 1
    for _ in range(c["cells"]):
        states = [r0, r1]
        for j in range(len(g["normal"]) // 2):
            states.append(max(states[g["normal"][e][1]] + _OP_RADIUS[g["normal"][e][0]]
                              for e in (2 * j, 2 * j + 1)))
        r0, r1 = r1, max([r1] + [states[s] for s in g["normal_concat"]])
    return r1 + 2
