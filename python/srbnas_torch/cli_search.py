"""`search`: the SRBNAS search on training images (as `srbnas search`, same flags and genotype
JSON). Under torchrun every rank takes a shard of each batch; rank 0 logs, checkpoints and writes."""

import json
import math
import os
import sys
import time

from .cli_common import (Progress, UsageError, add_device, add_threads, find_datasets, parser,
                         positive_int, ranged, set_threads)
from .config import SEARCH_PARAMS, SEARCH_PRESET_NAMES, SEARCH_PRESETS, preset_of, search_config_usage
from .distributed import barrier, init_world, shutdown
from .genotype import to_genotype_json
from .image_io import load_image_dir
from .model_format import write_atomic
from .patches import held_out_indices, search_data_for
from .search import Search, max_deviation_from_uniform


SUMMARIES = {
    "paper": "The paper's settings as printed: C = 64, 3 cells, 100 epochs, κ = 1, α/β lr 6e-4.",
    "standard": "The paper's size (C = 64, 3 cells, k = 8, 100 epochs) with data-driven α settings (κ = 1e5, α/β lr 6e-3).",
    "demo": "C = 16, 3 cells, k = 4, 550 steps (275 of warm-up): a search that finishes in minutes on 2 CPU cores.",
}


def build_parser():
    presets = "\n".join(f"  {n:9s} {SUMMARIES[n]}" for n in SEARCH_PRESET_NAMES)
    p = parser("search", "SRBNAS search (first-order DARTS over binary ops) on training images.",
               f"Presets:\n{presets}\n\nExample (the demo preset):\n  python3 -m srbnas_torch search "
               "--preset demo --data ../shared/datasets/T91 --scale 3 \\\n    --out runs/search/genotype.json "
               "--log runs/search/log.jsonl")
    pre = " (default: the preset's)"
    # The settings table's flags: its range (as `srbnas search`), no default of their own.
    t = lambda key: ranged(*(SEARCH_PARAMS[key][x] for x in ("min", "max", "integer")))  # noqa: E731
    n = lambda name, h, key: p.add_argument(name, type=t(key), help=h + pre)  # noqa: E731
    p.add_argument("--preset", choices=SEARCH_PRESET_NAMES, default="standard",
                   help="settings to start from (flags below override single values)")
    p.add_argument("--data", help="training images (default: <datasets>/T91)")
    p.add_argument("--scale", type=int, choices=[2, 3, 4], default=3, help="SR scale")
    n("--epochs", "search epochs", "epochs")
    n("--steps-per-epoch", "steps per epoch (each: a w-step and, after warm-up, an α/β-step)", "stepsPerEpoch")
    p.add_argument("--warmup", type=t("warmupEpochs"), help="epochs before α/β steps (default: the preset's, or 25%% of --epochs)")
    p.add_argument("--reg-epochs", type=t("regEpochs"), help="E of lin(e) = min(1, e/E) (default: epochs)")
    n("--t-min", "Tmin: EDE temperature at the first epoch", "tMin")
    n("--t-max", "Tmax: EDE temperature at the last epoch", "tMax")
    n("--mu", "μ: L1 weight in R(α)", "mu")
    n("--rho", "ρ: L2 weight in R(α)", "rho")
    n("--lambda", "λ: weight of R(α)", "lambda")
    n("--gamma", "γ: weight of R(β)", "gamma")
    n("--nu", "ν: gate-sum weight in R(β)", "nu")
    p.add_argument("--l1-target", choices=["softmax", "logits"],
                   help="μ term on softmax(α) (the paper; zero gradient) or on the logits α" + pre)
    p.add_argument("--seed", type=t("seed"), default=1, help="random seed (weights, α, split, crops)")
    n("--cells", "cells N", "cells")
    n("--channels", "channels C", "channels")
    n("--k", "partial-channel factor k", "k")
    n("--groups", "binary conv groups", "groups")
    n("--batch", "batch size (the global batch, split over the processes)", "batch")
    n("--patch", "LR patch size", "patch")
    n("--alpha-init", "α init std (0 = exactly uniform)", "alphaInitStd")
    n("--data-weight", "κ: weight of the validation L1 in L_arch", "dataWeight")
    n("--w-lr", "weight learning rate (Adam)", "wLr")
    n("--arch-lr", "α/β learning rate (Adam, betas 0.5/0.999)", "archLr")
    n("--arch-wd", "α/β weight decay", "archWeightDecay")
    p.add_argument("--split-seed", type=t("splitSeed"),
                   help="seed of the w-train/α-val image split (default: the preset's, else --seed)")
    p.add_argument("--hold-out", type=positive_int(0), default=0,
                   help="leave out the N images `train --val-images N --seed S` holds out (S = --hold-out-seed)")
    p.add_argument("--hold-out-seed", type=positive_int(0), default=1,
                   help="the training seed whose held-out images --hold-out leaves out")
    p.add_argument("-o", "--out", default="genotype.json", help="genotype JSON to write")
    p.add_argument("--log", help="JSON lines log: the step-0 snapshot, then one per logged step")
    p.add_argument("--log-every", type=positive_int(), default=1, help="log every N steps")
    p.add_argument("--checkpoint", help="save a checkpoint at every epoch end; resume from it when it exists")
    p.add_argument("--fresh", action="store_true", help="ignore an existing --checkpoint")
    add_threads(p)
    add_device(p)
    return p


def config_from_flags(a) -> dict:
    """The preset, then every flag given explicitly (as `srbnas search`); refused with a usage
    error naming the flags when the settings table's validator finds a problem."""
    p = SEARCH_PRESETS[a.preset]
    pick = lambda v, k: p[k] if v is None else v  # noqa: E731
    epochs = pick(a.epochs, "epochs")
    c = {**p, "scale": a.scale, "seed": a.seed, "cells": pick(a.cells, "cells"),
         "channels": pick(a.channels, "channels"), "k": pick(a.k, "k"), "groups": pick(a.groups, "groups"),
         "epochs": epochs, "stepsPerEpoch": pick(a.steps_per_epoch, "stepsPerEpoch"),
         "batch": pick(a.batch, "batch"), "patch": pick(a.patch, "patch"),
         "warmupEpochs": a.warmup if a.warmup is not None else (p["warmupEpochs"] if a.epochs is None else epochs // 4),
         "regEpochs": a.reg_epochs if a.reg_epochs is not None else (p["regEpochs"] if a.epochs is None else epochs),
         "mu": pick(a.mu, "mu"), "rho": pick(a.rho, "rho"), "lambda": pick(getattr(a, "lambda"), "lambda"),
         "gamma": pick(a.gamma, "gamma"), "nu": pick(a.nu, "nu"), "l1Target": pick(a.l1_target, "l1Target"),
         "alphaInitStd": pick(a.alpha_init, "alphaInitStd"), "dataWeight": pick(a.data_weight, "dataWeight"),
         "wLr": pick(a.w_lr, "wLr"), "archLr": pick(a.arch_lr, "archLr"),
         "archWeightDecay": pick(a.arch_wd, "archWeightDecay"),
         "tMin": pick(a.t_min, "tMin"), "tMax": pick(a.t_max, "tMax")}
    split = a.split_seed if a.split_seed is not None else p.get("splitSeed")
    if split is not None:
        c["splitSeed"] = split
    problems = search_config_usage(c)
    if problems:
        raise UsageError(problems)
    return c


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
    config = config_from_flags(a)  # before anything else: a refused setting costs nothing
    set_threads(a.workers)
    data_dir = a.data or (os.path.join(find_datasets(), "T91") if find_datasets() else None)
    if not data_dir:
        raise UsageError("--data: no training images given and no datasets folder found")
    world = init_world(a.device)
    try:
        return _search(a, config, data_dir, world)
    finally:
        shutdown(world)


def _search(a, config, data_dir, world) -> int:
    main = world.is_main
    t0 = time.time()
    every = load_image_dir(data_dir)
    # Left out the same way `train --val-images N --seed S` holds images out (same order).
    held = held_out_indices(len(every), a.hold_out, a.hold_out_seed)
    images = [im for i, im in enumerate(every) if i not in held]
    if held and main:
        print(f"held out {len(held)} image(s) for scoring: {', '.join(every[i][0] for i in sorted(held))}",
              file=sys.stderr)
    seconds0 = 0.0
    if a.checkpoint and os.path.exists(a.checkpoint) and not a.fresh:
        with open(a.checkpoint, "rb") as f:
            buf = f.read()
        cp, _ = Search.read_checkpoint(buf, a.checkpoint)
        c = cp["config"]
        train, val, _ = search_data_for(images, c)
        search = Search.restore(buf, train, val, world, a.checkpoint)
        seconds0 = cp["extra"].get("seconds", 0.0)
        if main:
            print(f"resuming {a.checkpoint} at step {cp['step']} (its settings win over the flags)", file=sys.stderr)
    else:
        train, val, skipped = search_data_for(images, config)
        if skipped and main:
            print(f"skipped {len(skipped)} image(s) smaller than the patch: {', '.join(skipped)}", file=sys.stderr)
        search = Search(config, train, val, world)
        if a.log and main:
            # First line: the step-0 snapshot (the initialisation), as `srbnas search` writes it.
            write_atomic(a.log, json.dumps(_json_safe({**search.initial_snapshot(), "seconds": 0})) + "\n")
    c = search.config
    backend = f"torch-{world.device.type}"
    if main:
        print(f"preset {preset_of(c) or f'custom (from {a.preset})'}: κ={c.get('dataWeight', 1)} "
              f"α/β lr {c['archLr']}", file=sys.stderr)
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
            "seconds": round(secs * 10) / 10,
            **({"preset": preset_of(c)} if preset_of(c) else {}),
            "dataWeight": c.get("dataWeight") if c.get("dataWeight") is not None else 1,
            "archLr": c["archLr"], "processes": world.size})
        text = json.dumps(g, indent=2) + "\n"
        write_atomic(a.out, text)
        print(text.rstrip())
        print(f"wrote {a.out}: {snap['step']} steps in {secs:.1f} s ({snap['stepMs'] / 1000:.2f} s last step), "
              f"max|p-1/6| = {max_deviation_from_uniform(snap['alphaSoftmax']):.4f}, derived params "
              f"(C={c['channels']}, {c['cells']} cells) = {snap['derivedParams']}", file=sys.stderr)
    return 0
