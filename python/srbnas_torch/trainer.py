"""Training of an evaluation network or baseline (src/core/train/trainer.ts), on DDP under torchrun.

Adam (PyTorch's form, as the TS core's own Adam) on L1 between SR and HR patches; EDE (t, k) per
epoch over the whole run. Checkpoints use the TS core's format — the SRBC container with tensors
`w:<name>`, `m:<name>`, `v:<name>` and the Adam step, the data position and the caller's run state
in the header — so a run started with `srbnas train` (or in the page) continues here and back.

DDP: every rank builds the same seeded network and sampler, draws the same full batch and runs
its contiguous shard through DistributedDataParallel. Each rank's loss is N × its share of the
full-batch mean; DDP averages gradients over the N ranks, so the update is the single-process
update of the full batch up to float summation order.
"""

import math
from typing import Dict, Optional

import torch
from torch.nn.parallel import DistributedDataParallel

from .adam_state import adam_moments, adam_step, set_adam_state
from .distributed import World, all_reduce_sum
from .l1_loss import abs_diff
from .ede import ede_schedule
from .model_format import decode_weights, encode_weights
from .network import SRNetwork
from .pack import pack, unpack
from .search import to_device
from .run_steps import StepCounted


class Trainer(StepCounted):
    def __init__(self, architecture: Dict, config: Dict, sampler, world: Optional[World] = None):
        for k in ("epochs", "stepsPerEpoch", "batch", "patch"):
            if int(config[k]) != config[k] or config[k] < 1:
                raise ValueError(f"{k} must be a positive integer, got {config[k]}")
        self.architecture, self.config, self.sampler = architecture, dict(config), sampler
        self.world = world or World()
        self.net = SRNetwork(architecture, config["seed"]).to(self.world.device)
        self.model = self.net
        if self.world.distributed:
            dev = self.world.device
            self.model = DistributedDataParallel(
                self.net, device_ids=[dev.index] if dev.type == "cuda" else None)
        self.params = list(self.net.params.vars.values())
        self.opt = torch.optim.Adam(self.params, lr=config["lr"], betas=(0.9, 0.999), eps=1e-8)
        self.step_index = 0

    @property
    def epoch(self) -> int:
        return self.step_index // self.config["stepsPerEpoch"]

    def ede(self):
        c = self.config
        return ede_schedule(self.epoch, c["epochs"], c["tMin"], c["tMax"])

    def step(self) -> Dict:
        """One update on the next batch; returns {step, epoch, loss, ede, epochEnd}."""
        batch = self.sampler.next()
        ede = self.ede()
        epoch = self.epoch
        w = self.world
        b = to_device(batch.shard(w.rank, w.size), w.device)
        diff = abs_diff(self.model(b["lr"], b["bic"], ede), b["hr"])
        if w.distributed:
            share = diff.sum() / batch.hr.size
            loss = share * w.size  # DDP divides the summed gradient by the world size
        else:
            share = loss = diff.mean()
        self.opt.zero_grad(set_to_none=True)
        loss.backward()
        value = share.detach().reshape(1)
        all_reduce_sum([value], w)
        value = float(value[0])
        if not math.isfinite(value):
            raise ValueError(f"training loss became {value} at step {self.step_index} (epoch {epoch})")
        self.opt.step()
        self.step_index += 1
        return {"step": self.step_index, "epoch": epoch, "loss": value,
                "ede": {"t": ede.t, "k": ede.k},
                "epochEnd": self.step_index % self.config["stepsPerEpoch"] == 0}

    def adam_step(self) -> int:
        return adam_step(self.opt, self.params)

    def checkpoint(self, extra: Optional[Dict] = None) -> bytes:
        """The TS core's checkpoint file (checkpoint.srbc), bytes ready to write."""
        moments = adam_moments(self.opt, self.net.params.vars.items())
        values = {}
        for name, p in self.net.params.vars.items():
            values[f"w:{name}"] = p.detach().cpu().numpy()
            values[f"m:{name}"], values[f"v:{name}"] = moments[name]
        specs, data = encode_weights(values)
        header = {"format": "srbnas-train-checkpoint", "version": 1,
                  "architecture": self.architecture, "config": self.config,
                  "step": self.step_index, "adamStep": self.adam_step(),
                  "drawn": self.sampler.drawn, "extra": extra or {}, "tensors": specs}
        return pack(header, data)

    @staticmethod
    def read_checkpoint(buf: bytes, what: str = "checkpoint"):
        header, data = unpack(buf, what)
        if not isinstance(header, dict) or header.get("format") != "srbnas-train-checkpoint" \
                or header.get("version") != 1:
            raise ValueError(f"{what}: not a training checkpoint (format/version)")
        return header, data

    @staticmethod
    def restore(buf: bytes, sampler, world: Optional[World] = None, what: str = "checkpoint") -> "Trainer":
        """A trainer continuing a checkpoint (from this package, the CLI or the page) on a fresh
        sampler built with the same seed and images (advanced to the checkpoint's position)."""
        h, data = Trainer.read_checkpoint(buf, what)
        t = Trainer(h["architecture"], h["config"], sampler, world)
        values = decode_weights(h["tensors"], data, what)
        t.net.params.load_values({k[2:]: v for k, v in values.items() if k.startswith("w:")}, what)
        names = list(t.net.params.vars)
        set_adam_state(t.opt, t.net.params.vars.items(), h["adamStep"],
                       {n: (values[f"m:{n}"], values[f"v:{n}"]) for n in names})
        t.step_index = h["step"]
        if h["drawn"] < sampler.drawn:
            raise ValueError(f"data stream is already past the checkpoint ({sampler.drawn} > {h['drawn']})")
        sampler.skip(h["drawn"] - sampler.drawn)
        return t
