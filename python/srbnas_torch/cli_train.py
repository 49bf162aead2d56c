"""`train`: train a searched genotype (or a baseline) on training images, as `srbnas train` —
same flags, same model folder (model.json + weights.bin, rewritten after every epoch), same
checkpoint (checkpoint.srbc in --out; a run started by `srbnas train` resumes here and back).

Under `torchrun --nproc_per_node N -m srbnas_torch train …` the trainer runs DDP (gloo on CPU,
NCCL on GPU); rank 0 validates, checkpoints and writes the model; every rank resumes from it.
"""

import os
import sys
import time
from datetime import datetime, timezone

from .arch import ARCHS, count_model, describe_arch
from .cli_common import (Progress, UsageError, add_device, add_threads, number, parser,
                         positive_int, set_threads)
from .distributed import barrier, init_world, shutdown
from .genotype import read_genotype
from .image_io import load_image_dir
from .model_format import serialize_model, write_atomic, write_model_dir
from .patches import train_data_from_images
from .trainer import Trainer
from .validate import validate, validate_bicubic

CHECKPOINT = "checkpoint.srbc"


def build_parser():
    p = parser("train", "Train a searched genotype (or a baseline) on training images; resumes from checkpoints.",
               "A run stopped at any point continues where it stopped when the same command is run again\n"
               "(checkpoint.srbc in --out, the format of `srbnas train`; its settings win over the flags).")
    p.add_argument("--arch", choices=ARCHS, default="srbnas", help="network to train")
    p.add_argument("--genotype", help="genotype JSON (arch srbnas)")
    p.add_argument("--scale", type=int, choices=[2, 3, 4], help="SR scale (default: the genotype's, else 3)")
    p.add_argument("--cells", type=positive_int(), default=3, help="cells N (srbnas)")
    p.add_argument("--channels", type=positive_int(), default=64, help="channels C")
    p.add_argument("--groups", type=positive_int(), help="binary conv groups (default: 4 for srbnas, 1 for the BNN baselines)")
    p.add_argument("--blocks", type=positive_int(0), default=16, help="residual blocks (srresnet-bnn)")
    p.add_argument("--layers", type=positive_int(0), default=18, help="binary layers (vdsr-bnn)")
    p.add_argument("--data", required=True, help="training images (T91)")
    p.add_argument("--epochs", type=positive_int(), default=100)
    p.add_argument("--steps-per-epoch", type=positive_int(), default=100)
    p.add_argument("--batch", type=positive_int(), default=16, help="batch size (the global batch, split over the processes)")
    p.add_argument("--patch", type=positive_int(4), default=24, help="LR patch size")
    p.add_argument("--lr", type=number, default=1e-3, help="Adam learning rate")
    p.add_argument("--seed", type=positive_int(0), default=1, help="seed (weights, split, crops)")
    p.add_argument("--val-images", type=positive_int(0), default=5, help="held-out training images for validation PSNR")
    p.add_argument("--out", required=True, help="output folder (model.json, weights.bin, checkpoint.srbc)")
    p.add_argument("--checkpoint-minutes", type=number, default=5, help="save a checkpoint at least this often")
    p.add_argument("--fresh", action="store_true", help="ignore an existing checkpoint in --out and start over")
    p.add_argument("--stop-after", type=positive_int(), help="stop (with a checkpoint) after this many steps in this session")
    add_threads(p)
    add_device(p)
    return p


def arch_from_flags(a, scale: int, genotype):
    groups = a.groups if a.groups is not None else (4 if a.arch == "srbnas" else 1)
    if a.arch == "srbnas":
        if genotype is None:
            raise UsageError("--genotype is required for --arch srbnas")
        return {"arch": "srbnas", "scale": scale,
                "genotype": {"normal": genotype["normal"], "normal_concat": genotype["normal_concat"]},
                "cells": a.cells, "channels": a.channels, "groups": groups}
    if a.arch == "espcn":
        return {"arch": "espcn", "scale": scale, "widths": [64, 32]}
    if a.arch == "srresnet-bnn":
        return {"arch": "srresnet-bnn", "scale": scale, "blocks": a.blocks, "channels": a.channels, "groups": groups}
    return {"arch": "vdsr-bnn", "scale": scale, "layers": a.layers, "channels": a.channels, "groups": groups}


def run(argv) -> int:
    a = build_parser().parse_args(argv)
    set_threads(a.workers)
    world = init_world(a.device)
    try:
        return _train(a, argv, world)
    finally:
        shutdown(world)


def _train(a, argv, world) -> int:
    main = world.is_main
    out = a.out
    ckpt = os.path.join(out, CHECKPOINT)
    launcher = f"torchrun --nproc_per_node {world.size}" if world.distributed else "python3"
    command = f"{launcher} -m srbnas_torch train " + " ".join(map(str, argv))
    if os.path.exists(ckpt) and not a.fresh:
        with open(ckpt, "rb") as f:
            buf = f.read()
        h, _ = Trainer.read_checkpoint(buf, ckpt)
        state = h["extra"]
        state["commands"].append(command)
        data = train_data_from_images(load_image_dir(state["data"]), h["architecture"]["scale"],
                                      h["config"]["patch"], h["config"]["batch"], h["config"]["seed"],
                                      state["valImages"])
        trainer = Trainer.restore(buf, data["sampler"], world, ckpt)
        if main:
            print(f"resuming {ckpt} at step {h['step']} (its settings win over the flags)", file=sys.stderr)
    else:
        genotype = read_genotype(a.genotype) if a.genotype else None
        scale = a.scale or (genotype["scale"] if genotype else 3)
        if genotype and genotype["scale"] != scale and main:
            print(f"note: genotype was searched at x{genotype['scale']}, training at x{scale}", file=sys.stderr)
        arch = arch_from_flags(a, scale, genotype)
        config = {"epochs": a.epochs, "stepsPerEpoch": a.steps_per_epoch, "batch": a.batch,
                  "patch": a.patch, "lr": a.lr, "seed": a.seed, "tMin": 0.1, "tMax": 10}
        data = train_data_from_images(load_image_dir(a.data), scale, a.patch, a.batch, a.seed, a.val_images)
        trainer = Trainer(arch, config, data["sampler"], world)
        state = {"commands": [command], "valPsnr": [], "valSsim": [], "valPsnrBicubic": None,
                 "seconds": 0, "genotype": genotype, "data": os.path.abspath(a.data),
                 "valImages": a.val_images, "trainImages": len(data["trainNames"]),
                 "valNames": data["valNames"]}
    arch, cfg = trainer.architecture, trainer.config
    backend = f"torch-{world.device.type}"
    if data["val"]:
        state["valPsnrBicubic"] = validate_bicubic(data["val"], arch["scale"])["psnr"]
    counts = count_model(arch)
    if main:
        vb = state["valPsnrBicubic"]
        print(f"{describe_arch(arch)}: {counts['params']} params ({counts['binaryParams']} binary), "
              f"{counts['sizeBytes'] / 1024:.1f} KiB; {state['trainImages']} train / {len(data['val'])} val "
              f"images (bicubic val {vb if vb is None else round(vb, 2)} dB); {backend} × {world.size} process(es)",
              file=sys.stderr)
    t0 = time.time()
    before = state["seconds"]
    elapsed = lambda: before + time.time() - t0  # noqa: E731

    def save_checkpoint():
        state["seconds"] = elapsed()
        buf = trainer.checkpoint(state)
        if main:
            write_atomic(ckpt, buf)
        barrier(world)

    def save_model():
        if main:
            training = {"commands": state["commands"], "data": state["data"],
                        "trainImages": state["trainImages"], "valImages": state["valNames"],
                        "epochs": cfg["epochs"], "epochsDone": trainer.epoch,
                        "stepsPerEpoch": cfg["stepsPerEpoch"], "batch": cfg["batch"], "patch": cfg["patch"],
                        "lr": cfg["lr"], "seed": cfg["seed"], "valPsnr": state["valPsnr"],
                        "valPsnrBicubic": state["valPsnrBicubic"], "seconds": elapsed(), "backend": backend,
                        "processes": world.size,
                        "finishedAt": datetime.now(timezone.utc).isoformat().replace("+00:00", "Z")}
            js, weights = serialize_model(trainer.net, os.path.basename(os.path.abspath(out)),
                                          state.get("genotype"), training)
            write_model_dir(out, js, weights)
        barrier(world)

    bar = Progress(trainer.total_steps, "train", enabled=main)
    last_ckpt = time.time()
    session = 0
    avg = None
    while not trainer.done and (a.stop_after is None or session < a.stop_after):
        r = trainer.step()
        session += 1
        avg = r["loss"] if avg is None else 0.98 * avg + 0.02 * r["loss"]
        val = f" val {state['valPsnr'][-1]:.2f}dB" if state["valPsnr"] else ""
        bar.update(r["step"], f"ep {r['epoch'] + 1}/{cfg['epochs']} L1 {avg:.4f}{val}")
        if r["epochEnd"]:
            if data["val"] and main:
                s = validate(trainer.net, data["val"])
                state["valPsnr"].append(s["psnr"])
                state["valSsim"].append(s["ssim"])
                print(f"epoch {r['epoch'] + 1}: val PSNR {s['psnr']:.3f} dB (bicubic "
                      f"{state['valPsnrBicubic']:.3f}), SSIM {s['ssim']:.4f}, L1 {avg:.4f}", file=sys.stderr)
            save_checkpoint()
            save_model()
            last_ckpt = time.time()
        elif time.time() - last_ckpt > a.checkpoint_minutes * 60:
            save_checkpoint()
            last_ckpt = time.time()
    save_checkpoint()
    save_model()
    if main:
        print(f"done: {out}/model.json ({trainer.step_index} steps, {state['seconds']:.0f} s)" if trainer.done
              else f"stopped at step {trainer.step_index}; run the same command to continue", file=sys.stderr)
    return 0
