"""The SRBNAS search loop, first-order DARTS (src/core/search/search.ts).

Each step: one w-step (Adam lr wLr on a w-train batch, L1) and, from epoch `warmupEpochs` on,
one α/β-step (Adam lr archLr, betas (0.5, 0.999), weight decay archWeightDecay added to the
gradient as PyTorch does, on an α-val batch, L_arch = L1 + λ·lin(e)·R(α) + γ·lin(e)·R(β)). EDE
(t, k) follows the schedule per epoch. The w-update comes before the α/β gradient, as in the TS
core. Under torchrun every rank takes its shard of the same batch (see distributed.py); the
regularisers are added on rank 0 only, so the summed gradient has them once.
"""

import math
import time
from typing import Dict, List, Optional

import torch

from .arch import count_model
from .config import LIVE_KEYS
from .adam_state import adam_moments, adam_step, set_adam_state
from .derive import derive_genotype, entropy_rows, softmax_rows
from .distributed import World, all_reduce_sum
from .ede import ede_schedule
from .edge_gates import edge_gates, edge_gates_list
from .l1_loss import abs_diff
from .model_format import decode_weights, encode_weights
from .pack import pack, unpack
from .patches import PatchBatch
from .regularisers import arch_loss, lin, reg_alpha, reg_beta
from .supernet import Supernet, SupernetConfig
from .run_steps import StepCounted

ADAM_EPS = 1e-8


def to_device(b: PatchBatch, device) -> Dict[str, torch.Tensor]:
    return {k: torch.from_numpy(getattr(b, k)).to(device) for k in ("lr", "hr", "bic")}


def l1_share(sr: torch.Tensor, hr: torch.Tensor, full_count: int, world: World) -> torch.Tensor:
    """This rank's share of the full-batch mean |sr − hr| (the mean itself in one process)."""
    d = abs_diff(sr, hr)
    return d.mean() if not world.distributed else d.sum() / full_count


class Search(StepCounted):
    def __init__(self, config: Dict, train, val, world: Optional[World] = None):
        for k in ("epochs", "stepsPerEpoch", "batch", "patch"):
            if int(config[k]) != config[k] or config[k] < 1:
                raise ValueError(f"{k} must be a positive integer, got {config[k]}")
        self.config = dict(config)
        self.live = {k: config[k] for k in LIVE_KEYS}
        self.world = world or World()
        self.data = {"train": train, "val": val}
        c = self.config
        self.net = Supernet(SupernetConfig(c["scale"], c["channels"], c["cells"], c["k"], c["groups"],
                                           c["seed"], c.get("alphaInitStd"))).to(self.world.device)
        self.w_params = list(self.net.weights.vars.values())
        self.a_params = [self.net.alpha, self.net.beta]
        self.w_opt = torch.optim.Adam(self.w_params, lr=c["wLr"], betas=(0.9, 0.999), eps=ADAM_EPS)
        self.a_opt = torch.optim.Adam(self.a_params, lr=c["archLr"], betas=(0.5, 0.999), eps=ADAM_EPS,
                                      weight_decay=c["archWeightDecay"])
        self.step_index = 0
        self.last_val = math.nan
        self.arch_live: Optional[Dict] = None

    def plan(self, live: Optional[Dict] = None):
        c, s = self.config, live or self.live
        epoch = self.step_index // c["stepsPerEpoch"]
        lin_e = lin(epoch, c["regEpochs"])
        return {"epoch": epoch, "ede": ede_schedule(epoch, c["epochs"], c["tMin"], c["tMax"]),
                "archStep": epoch >= c["warmupEpochs"],
                "wAlpha": s["lambda"] * lin_e, "wBeta": s["gamma"] * lin_e}

    def _shard(self, batch: PatchBatch):
        part = batch.shard(self.world.rank, self.world.size)
        return to_device(part, self.world.device), batch.hr.size

    def w_grads(self, batch: PatchBatch):
        """(loss, gradients of the weights) on a w-train batch, summed over ranks."""
        ede = self.plan()["ede"]
        b, count = self._shard(batch)
        loss = l1_share(self.net(b["lr"], b["bic"], ede), b["hr"], count, self.world)
        grads = list(torch.autograd.grad(loss, self.w_params))
        loss = loss.detach().reshape(1)
        all_reduce_sum(grads + [loss], self.world)
        return loss[0], grads

    def arch_grads(self, batch: PatchBatch, live: Optional[Dict] = None):
        """(L_arch, L1 part, gradients of α and β) on an α-val batch, summed over ranks.
        L_arch = κ·L1(val) + λ·lin·R(α) + γ·lin·R(β) (κ = config dataWeight, 1 in the paper)."""
        s = live or self.live
        p = self.plan(s)
        self.arch_live = s
        b, count = self._shard(batch)
        l1 = l1_share(self.net(b["lr"], b["bic"], p["ede"]), b["hr"], count, self.world)
        kappa = self.config.get("dataWeight")
        data = l1 if kappa is None or kappa == 1 else l1 * kappa
        if self.world.is_main:
            loss = arch_loss(data, *self._regs(s), p["wAlpha"], p["wBeta"])
        else:
            loss = data
        grads = list(torch.autograd.grad(loss, self.a_params))
        vals = torch.stack([loss.detach(), l1.detach()])
        all_reduce_sum(grads + [vals], self.world)
        return vals[0], vals[1], grads

    def _regs(self, s: Dict):
        return (reg_alpha(self.net.alpha, s["mu"], s["rho"], s["l1Target"]),
                reg_beta(edge_gates(self.net.beta), s["nu"]))

    def split_arch_grads(self, grads: List[torch.Tensor]) -> Dict:
        """The α/β gradient split by source (as the TS snapshot's archGrad): reg = ∂(λ·lin·R(α) +
        γ·lin·R(β)) at the current α, β (no forward pass), data = total − reg."""
        s = self.arch_live or self.live
        p = self.plan(s)
        ra, rb = self._regs(s)
        reg = torch.autograd.grad(p["wAlpha"] * ra + p["wBeta"] * rb, self.a_params, allow_unused=True)
        reg = [torch.zeros_like(a) if g is None else g for g, a in zip(reg, self.a_params)]
        as_list = lambda t: t.detach().cpu().double().tolist()  # noqa: E731
        return {"regAlpha": as_list(reg[0]), "regBeta": as_list(reg[1]),
                "dataAlpha": as_list(grads[0] - reg[0]), "dataBeta": as_list(grads[1] - reg[1])}

    @staticmethod
    def _apply(opt: torch.optim.Optimizer, params: List[torch.Tensor], grads: List[torch.Tensor]):
        for p, g in zip(params, grads):
            p.grad = g
        opt.step()
        for p in params:
            p.grad = None

    def step(self) -> Dict:
        t0 = time.perf_counter()
        live = dict(self.live)
        p = self.plan(live)
        w_loss, g = self.w_grads(self.data["train"].next())
        self._apply(self.w_opt, self.w_params, g)
        w_loss = float(w_loss)
        if not math.isfinite(w_loss):
            raise ValueError(f"training loss became {w_loss} at step {self.step_index} (epoch {p['epoch']})")
        split = None
        if p["archStep"]:
            _, val_l1, g = self.arch_grads(self.data["val"].next(), live)
            split = self.split_arch_grads(g)
            self._apply(self.a_opt, self.a_params, g)
            self.last_val = float(val_l1)
        self.step_index += 1
        snap = self._snapshot(t0, w_loss, p, live)
        return {**snap, "archGrad": split} if split else snap

    def initial_snapshot(self) -> Dict:
        """The state before any update (step 0: the initialisation), for the first log line."""
        if self.step_index != 0:
            raise ValueError("initial_snapshot() is for a search at step 0")
        return self._snapshot(time.perf_counter(), math.nan, {**self.plan(), "archStep": False}, self.live)

    def _snapshot(self, t0: float, w_loss: float, p: Dict, live: Dict) -> Dict:
        c = self.config
        with torch.no_grad():
            ra, rb = (float(r) for r in self._regs(live))
        alpha = self.net.alpha.detach().cpu().double().tolist()
        gates = edge_gates_list(self.net.beta.detach().cpu().double().tolist())
        probs = softmax_rows(alpha)
        genotype = derive_genotype(probs, gates)
        derived = count_model({"arch": "srbnas", "scale": c["scale"], "genotype": genotype,
                               "cells": c["cells"], "channels": c["channels"], "groups": c["groups"]})
        return {"step": self.step_index, "epoch": p["epoch"], "archStep": p["archStep"],
                "wLoss": w_loss, "valLoss": self.last_val, "regAlpha": ra, "regBeta": rb,
                "regAlphaWeight": p["wAlpha"], "regBetaWeight": p["wBeta"],
                "alphaSoftmax": probs, "alpha": alpha, "gates": gates, "entropy": entropy_rows(probs),
                "genotype": genotype, "derivedParams": derived["params"],
                "ede": {"t": p["ede"].t, "k": p["ede"].k}, "settings": dict(live),
                "stepMs": (time.perf_counter() - t0) * 1000,
                "backend": f"torch-{self.world.device.type}"}

    def _named(self):
        return ([(f"w:{k}", p) for k, p in self.net.weights.vars.items()],
                [(f"a:{k}", p) for k, p in self.net.arch.vars.items()])

    def checkpoint(self, extra: Optional[Dict] = None) -> bytes:
        """An SRBC file (JSON header + float32 tensors, no pickle): weights, α/β, both Adam states,
        the step, the data positions and the live settings."""
        w_named, a_named = self._named()
        values = {}
        for opt, named in ((self.w_opt, w_named), (self.a_opt, a_named)):
            moments = adam_moments(opt, named)
            for name, p in named:
                values[name] = p.detach().cpu().numpy()
                values[f"m:{name}"], values[f"v:{name}"] = moments[name]
        specs, data = encode_weights(values)
        header = {"format": "srbnas-torch-search-checkpoint", "version": 1, "config": self.config,
                  "live": self.live, "step": self.step_index,
                  "lastValLoss": None if math.isnan(self.last_val) else self.last_val,
                  "wAdamStep": adam_step(self.w_opt, self.w_params),
                  "archAdamStep": adam_step(self.a_opt, self.a_params),
                  "drawn": {k: v.drawn for k, v in self.data.items()}, "extra": extra or {},
                  "tensors": specs}
        return pack(header, data)

    @staticmethod
    def read_checkpoint(buf: bytes, what: str = "checkpoint"):
        header, data = unpack(buf, what)
        if not isinstance(header, dict) or header.get("format") != "srbnas-torch-search-checkpoint" \
                or header.get("version") != 1:
            raise ValueError(f"{what}: not a search checkpoint (format/version)")
        return header, decode_weights(header["tensors"], data, what)

    @staticmethod
    def restore(buf: bytes, train, val, world: Optional[World] = None, what: str = "checkpoint") -> "Search":
        h, values = Search.read_checkpoint(buf, what)
        s = Search(h["config"], train, val, world)
        s.live = dict(h["live"])
        s.step_index = h["step"]
        s.last_val = math.nan if h["lastValLoss"] is None else h["lastValLoss"]
        w_named, a_named = s._named()
        s.net.weights.load_values({n[2:]: values[n] for n, _ in w_named}, what)
        s.net.arch.load_values({n[2:]: values[n] for n, _ in a_named}, what)
        for opt, named, step in ((s.w_opt, w_named, h["wAdamStep"]), (s.a_opt, a_named, h["archAdamStep"])):
            set_adam_state(opt, named, step, {n: (values[f"m:{n}"], values[f"v:{n}"]) for n, _ in named})
        for k, src in s.data.items():
            if h["drawn"][k] < src.drawn:
                raise ValueError(f"data stream is already past the checkpoint ({src.drawn} > {h['drawn'][k]})")
            src.skip(h["drawn"][k] - src.drawn)
        return s


def max_deviation_from_uniform(p) -> float:
    return float(max(abs(x - 1 / len(row)) for row in p for x in row))


