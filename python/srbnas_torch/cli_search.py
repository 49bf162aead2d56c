"""`search`: the SRBNAS search on training images (as `srbnas search`, same flags and genotype
JSON). Under torchrun every rank takes a shard of each batch; rank 0 logs, checkpoints and writes."""

import json
import math
import os
import sys
import time

from .cli_common import (Progress, UsageError, add_device, add_threads, find_datasets, number,
                         parser, positive_int, set_threads)
from .config import DEFAULT_SEARCH_CONFIG as D
from .distributed import barrier, init_world, shutdown
from .genotype import to_genotype_json
from .image_io import load_image_dir
from .model_format import write_atomic
from .patches import search_data_from_images
from .search import Search, max_deviation_from_uniform


def build_parser():
    p = parser("search", "SRBNAS search (first-order DARTS over binary ops) on training images.",
               "Example (small):\n  python3 -m srbnas_torch search --data ../shared/datasets/T91 --scale 3 "
               "--epochs 10 --steps-per-epoch 20 \\\n    --cells 2 --channels 16 --k 4 --groups 2 --batch 8 "
               "--patch 16 --out g.json --log g.jsonl")
    n = lambda name, h, d, conv=number: p.add_argument(name, type=conv, default=d, help=f"{h} (default: {d})")  # noqa: E731
    p.add_argument("--data", help="training images (default: <datasets>/T91)")
    p.add_argument("--scale", type=int, choices=[2, 3, 4], default=D["scale"], help="SR scale")
    n("--epochs", "search epochs", D["epochs"], positive_int())
    n("--steps-per-epoch", "steps per epoch (each: a w-step and, after warm-up, an α/β-step)",
      D["stepsPerEpoch"], positive_int())
    p.add_argument("--warmup", type=positive_int(0), help="epochs before α/β steps (default 25%% of epochs)")
    p.add_argument("--reg-epochs", type=positive_int(), help="E of lin(e) = min(1, e/E) (default: epochs)")
    n("--mu", "μ: L1 weight in R(α)", D["mu"])
    n("--rho", "ρ: L2 weight in R(α)", D["rho"])
    n("--lambda", "λ: weight of R(α)", D["lambda"])
    n("--gamma", "γ: weight of R(β)", D["gamma"])
    n("--nu", "ν: gate-sum weight in R(β)", D["nu"])
    p.add_argument("--l1-target", choices=["softmax", "logits"], default=D["l1Target"],
                   help="μ term on softmax(α) (the paper; zero gradient) or on the logits α")
    n("--seed", "random seed (weights, α, split, crops)", D["seed"], positive_int(0))
    n("--cells", "cells N", D["cells"], positive_int())
    n("--channels", "channels C", D["channels"], positive_int())
    n("--k", "partial-channel factor k", D["k"], positive_int())
    n("--groups", "binary conv groups", D["groups"], positive_int())
    n("--batch", "batch size", D["batch"], positive_int())
    n("--patch", "LR patch size", D["patch"], positive_int(4))
    n("--alpha-init", "α init std (0 = exactly uniform)", 1e-3)
    p.add_argument("-o", "--out", default="genotype.json", help="genotype JSON to write")
    p.add_argument("--log", help="JSON lines log: one snapshot per logged step")
    n("--log-every", "log every N steps", 1, positive_int())
    p.add_argument("--checkpoint", help="save a checkpoint at every epoch end; resume from it when it exists")
    p.add_argument("--fresh", action="store_true", help="ignore an existing --checkpoint")
    add_threads(p)
    add_device(p)
    return p


def _json_safe(x):
    if isinstance(x, float) and math.isnan(x):
        return None
    if isinstance(x, dict):
        return {k: _json_safe(v) for k, v in x.items()}
    if isinstance(x, list):
        return [_json_safe(v) for v in x]
    return x


def run(argv) -> int:
    a = build_parser().parse_args(argv)
    set_threads(a.workers)
    data_dir = a.data or (os.path.join(find_datasets(), "T91") if find_datasets() else None)
    if not data_dir:
        raise UsageError("--data: no training images given and no datasets folder found")
    config = {**D, "scale": a.scale, "cells": a.cells, "channels": a.channels, "k": a.k,
              "groups": a.groups, "epochs": a.epochs, "stepsPerEpoch": a.steps_per_epoch,
              "batch": a.batch, "patch": a.patch, "seed": a.seed,
              "warmupEpochs": a.warmup if a.warmup is not None else a.epochs // 4,
              "regEpochs": a.reg_epochs if a.reg_epochs is not None else a.epochs,
              "mu": a.mu, "rho": a.rho, "lambda": getattr(a, "lambda"), "gamma": a.gamma, "nu": a.nu,
              "l1Target": a.l1_target, "alphaInitStd": a.alpha_init}
    if config["warmupEpochs"] >= config["epochs"]:
        raise UsageError(f"--warmup ({config['warmupEpochs']}) must be below --epochs ({config['epochs']})")
    world = init_world(a.device)
    try:
        return _search(a, config, data_dir, world)
    finally:
        shutdown(world)


def _search(a, config, data_dir, world) -> int:
    main = world.is_main
    t0 = time.time()
    images = load_image_dir(data_dir)
    seconds0 = 0.0
    if a.checkpoint and os.path.exists(a.checkpoint) and not a.fresh:
        with open(a.checkpoint, "rb") as f:
            buf = f.read()
        cp, _ = Search.read_checkpoint(buf, a.checkpoint)
        c = cp["config"]
        train, val, _ = search_data_from_images(images, c["scale"], c["patch"], c["batch"], c["seed"])
        search = Search.restore(buf, train, val, world, a.checkpoint)
        seconds0 = cp["extra"].get("seconds", 0.0)
        if main:
            print(f"resuming {a.checkpoint} at step {cp['step']} (its settings win over the flags)", file=sys.stderr)
    else:
        train, val, skipped = search_data_from_images(images, config["scale"], config["patch"],
                                                      config["batch"], config["seed"])
        if skipped and main:
            print(f"skipped {len(skipped)} image(s) smaller than the patch: {', '.join(skipped)}", file=sys.stderr)
        search = Search(config, train, val, world)
        if a.log and main:
            open(a.log, "w").close()
    c = search.config
    backend = f"torch-{world.device.type}"
    if main:
        print(f"search x{c['scale']} on {backend} × {world.size} process(es): {len(images)} images, "
              f"{c['cells']} cells, C={c['channels']}, k={c['k']}, groups={c['groups']}, batch {c['batch']}, "
              f"patch {c['patch']}, {c['epochs']} epochs × {c['stepsPerEpoch']} steps (α/β from epoch "
              f"{c['warmupEpochs']}), μ={c['mu']} ρ={c['rho']} λ={c['lambda']} γ={c['gamma']} "
              f"l1={c['l1Target']} seed {c['seed']}", file=sys.stderr)
    bar = Progress(search.total_steps, "search", enabled=main)
    seconds = lambda: seconds0 + time.time() - t0  # noqa: E731
    snap = None
    while not search.done:
        snap = search.step()
        if main and a.log and (snap["step"] % a.log_every == 0 or search.done):
            with open(a.log, "a", encoding="utf8") as f:
                f.write(json.dumps(_json_safe({**snap, "seconds": seconds()})) + "\n")
        vl = "-" if math.isnan(snap["valLoss"]) else f"{snap['valLoss']:.4f}"
        bar.update(snap["step"], f"ep {snap['epoch']} wL1 {snap['wLoss']:.4f} vL1 {vl} "
                                 f"max|p-1/6| {max_deviation_from_uniform(snap['alphaSoftmax']):.4f}")
        if a.checkpoint and snap["step"] % c["stepsPerEpoch"] == 0:
            if main:
                write_atomic(a.checkpoint, search.checkpoint({"seconds": seconds()}))
            barrier(world)
    if snap is None:
        raise ValueError("the checkpoint is already at the last step; nothing to do (use --fresh)")
    if main:
        s = snap["settings"]
        secs = seconds()
        g = to_genotype_json(snap["genotype"], c["scale"], {
            "mu": s["mu"], "rho": s["rho"], "lambda": s["lambda"], "gamma": s["gamma"], "nu": s["nu"],
            "l1Target": s["l1Target"], "epochs": c["epochs"], "seed": c["seed"],
            "channels": c["channels"], "cells": c["cells"], "k": c["k"], "groups": c["groups"],
            "alpha": snap["alpha"], "gates": snap["gates"], "backend": backend,
            "seconds": round(secs * 10) / 10, "processes": world.size})
        text = json.dumps(g, indent=2) + "\n"
        write_atomic(a.out, text)
        print(text.rstrip())
        print(f"wrote {a.out}: {snap['step']} steps in {secs:.1f} s ({snap['stepMs'] / 1000:.2f} s last step), "
              f"max|p-1/6| = {max_deviation_from_uniform(snap['alphaSoftmax']):.4f}, derived params "
              f"(C={c['channels']}, {c['cells']} cells) = {snap['derivedParams']}", file=sys.stderr)
    return 0
