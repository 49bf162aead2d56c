"""Step timings of the PyTorch port at a given configuration, as JSON lines (one per device and
step kind): `python3 -m srbnas_torch.bench --data DIR --genotype g.json [--devices cpu,cuda]
[--threads 1,2] [--steps 3] [--search JSON] [--train JSON]`. bench/torch.ts runs it beside tfjs."""

import argparse
import json

import statistics
import time

import torch

from .config import DEFAULT_SEARCH_CONFIG, DEFAULT_TRAIN_CONFIG
from .distributed import World
from .genotype import read_genotype
from .image_io import load_image_dir
from .patches import search_data_for, train_data_from_images
from .search import Search
from .trainer import Trainer


def _time(step, warmup: int, steps: int, device) -> dict:
    for _ in range(warmup):
        step()
    times = []
    for _ in range(steps):
        if device.type == "cuda":
            torch.cuda.synchronize()
        t = time.perf_counter()
        step()
        if device.type == "cuda":
            torch.cuda.synchronize()
        times.append((time.perf_counter() - t) * 1000)
    return {"msPerStepMedian": round(statistics.median(times), 1), "msPerStepMin": round(min(times), 1)}


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python3 -m srbnas_torch.bench")
    p.add_argument("--data", required=True)
    p.add_argument("--genotype", required=True)
    p.add_argument("--devices", default="cpu,cuda")
    p.add_argument("--threads", default="1")
    p.add_argument("--steps", type=int, default=3)
    p.add_argument("--warmup", type=int, default=1)
    p.add_argument("--search", default="{}", help="JSON over DEFAULT_SEARCH_CONFIG")
    p.add_argument("--train", default="{}", help="JSON: channels, cells, groups over DEFAULT_TRAIN_CONFIG")
    a = p.parse_args(argv)
    images = load_image_dir(a.data)
    g = read_genotype(a.genotype)
    sc = {**DEFAULT_SEARCH_CONFIG, **json.loads(a.search), "warmupEpochs": 0, "epochs": 1000, "stepsPerEpoch": 1000}
    to = json.loads(a.train)
    tc = {**DEFAULT_TRAIN_CONFIG, **{k: v for k, v in to.items() if k in DEFAULT_TRAIN_CONFIG},
          "epochs": 1000}
    arch = {"arch": "srbnas", "scale": sc["scale"], "genotype": {"normal": g["normal"], "normal_concat": g["normal_concat"]},
            "cells": to.get("cells", 3), "channels": to.get("channels", 64), "groups": to.get("groups", 4)}
    for dev_name in a.devices.split(","):
        if dev_name == "cuda" and not torch.cuda.is_available():
            print(json.dumps({"engine": "torch-cuda", "skipped": "no CUDA device"}), flush=True)
            continue
        device = torch.device(dev_name)
        for threads in ([int(t) for t in a.threads.split(",")] if dev_name == "cpu" else [None]):
            if threads:
                torch.set_num_threads(threads)
            world = World(device=device)
            train, val, _ = search_data_for(images, sc)
            s = Search(sc, train, val, world)
            row = _time(s.step, a.warmup, a.steps, device)
            print(json.dumps({"engine": f"torch-{dev_name}", "threads": threads, "step": "search",
                              "device": torch.cuda.get_device_name(device) if dev_name == "cuda" else None,
                              **row, "samplesPerSec": round(sc["batch"] * 1000 / row["msPerStepMedian"], 2)}),
                  flush=True)
            del s
            d = train_data_from_images(images, sc["scale"], tc["patch"], tc["batch"], tc["seed"], 0)
            t = Trainer(arch, tc, d["sampler"], world)
            row = _time(t.step, a.warmup, a.steps, device)
            print(json.dumps({"engine": f"torch-{dev_name}", "threads": threads, "step": "train",
                              "device": torch.cuda.get_device_name(device) if dev_name == "cuda" else None,
                              **row, "samplesPerSec": round(tc["batch"] * 1000 / row["msPerStepMedian"], 2)}),
                  flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
