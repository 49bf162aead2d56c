"""Trainable SR networks of model folders (src/core/model/network.ts, macro.ts, evalCell.ts).

LR [B, 3, h, w] in [0, 1] and its bicubic upscale [B, 3, h·r, w·r] → SR [B, 3, h·r, w·r].
Variables are created with the TS core's names, shapes and order, so model.json's weights load
by name, and a seed draws the same initial network.

srbnas (DESIGN §2 evaluation network): h = head(x); N derived cells (each chosen edge its binary
op at full C; node = sum of its 2 inputs; cell = conv1x1_fp(concat(nodes)) + s1);
b = body(s) + h; y = depthToSpace(tail(b)) + bicubic. Tail init 0: an untrained net is bicubic.
"""

from typing import Dict, List

import torch
from torch import nn

from .arch import check_arch_config
from .binary_op import BinaryOp, PackedBinaryOp
from .ede import EdeState
from .fp_conv import FpConv
from .params import Params
from .pixel_shuffle import depth_to_space
from .search_space import primitive_spec

FUSE_GAIN = 0.1
INFERENCE_EDE = EdeState(10.0, 1.0)


class EvalCell:
    def __init__(self, params: Params, name: str, genotype: Dict, channels: int, groups: int,
                 op=BinaryOp):
        self.genotype = genotype
        self.ops: List = []
        for e, (prim, _inp) in enumerate(genotype["normal"]):
            spec = primitive_spec(prim)
            self.ops.append(None if spec is None else op(
                params, f"{name}/edge{e}_{prim}", channels, spec[0], spec[1], groups))
        concat = genotype["normal_concat"]
        self.fuse = FpConv(params, f"{name}/fuse", 1, len(concat) * channels, channels, FUSE_GAIN)

    def __call__(self, s0, s1, ede: EdeState):
        states = [s0, s1]
        normal = self.genotype["normal"]
        for j in range(len(normal) // 2):
            terms = []
            for e in (2 * j, 2 * j + 1):
                x = states[normal[e][1]]
                terms.append(self.ops[e](x, ede) if self.ops[e] is not None else x)
            states.append(terms[0] + terms[1])
        cat = torch.cat([states[i] for i in self.genotype["normal_concat"]], 1)
        return self.fuse(cat) + s1


class SRNetwork(nn.Module):
    """packed=True: the variables of a packed model folder (inference only, docs/model-format.md §4)."""

    def __init__(self, config: Dict, seed: int = 1, packed: bool = False):
        super().__init__()
        check_arch_config(config)
        self.config = config
        self.packed = packed
        self.params = Params(seed)
        p = self.params
        op = PackedBinaryOp if packed else BinaryOp
        a = config["arch"]
        r = config["scale"]
        if a == "srbnas":
            C = config["channels"]
            self.head = FpConv(p, "head", 3, 3, C)
            self.cells = [EvalCell(p, f"cell{i}", config["genotype"], C, config["groups"], op)
                          for i in range(config["cells"])]
            self.body = FpConv(p, "body", 3, C, C)
            self.tail = FpConv(p, "tail", 3, C, 3 * r * r, 0)
        elif a == "srresnet-bnn":
            C = config["channels"]
            self.head = FpConv(p, "head", 3, 3, C)
            self.blocks = [(op(p, f"block{i}/conv1", C, 3, 1, config["groups"]),
                            op(p, f"block{i}/conv2", C, 3, 1, config["groups"]))
                           for i in range(config["blocks"])]
            self.body = FpConv(p, "body", 3, C, C)
            self.tail = FpConv(p, "tail", 3, C, 3 * r * r)
        elif a == "vdsr-bnn":
            C = config["channels"]
            self.first = FpConv(p, "first", 3, 3, C)
            self.layers = [op(p, f"layer{i}", C, 3, 1, config["groups"])
                           for i in range(config["layers"])]
            self.last = FpConv(p, "last", 3, C, 3, 0)
        else:
            w1, w2 = config["widths"]
            self.conv1 = FpConv(p, "conv1", 5, 3, w1)
            self.conv2 = FpConv(p, "conv2", 3, w1, w2)
            self.conv3 = FpConv(p, "conv3", 3, w2, 3 * r * r)

    def forward(self, lr: torch.Tensor, bic: torch.Tensor, ede: EdeState = INFERENCE_EDE):
        a = self.config["arch"]
        r = self.config["scale"]
        if a == "espcn":
            return depth_to_space(self.conv3(torch.tanh(self.conv2(torch.tanh(self.conv1(lr))))), r)
        if a == "vdsr-bnn":
            x = self.first(bic)
            for op in self.layers:
                x = op(x, ede)
            return self.last(x) + bic
        h = self.head(lr)
        if a == "srbnas":
            s0 = s1 = h
            for cell in self.cells:
                s0, s1 = s1, cell(s0, s1, ede)
            s = s1
        else:
            s = h
            for c1, c2 in self.blocks:
                s = c2(c1(s, ede), ede)
        up = depth_to_space(self.tail(self.body(s) + h), r)
        return up + bic if a == "srbnas" else up
