"""Files cross both ways: a genotype searched here trains in `srbnas train`, a training run
started here resumes in `srbnas train` (and the dump test resumes a tfjs checkpoint here), and the
search writes the JSON lines log and checkpoint it promises."""

import json

import numpy as np

from conftest import HAND_GENOTYPE, IMAGES, srbnas, torch_cli

TRAIN = ["--genotype", HAND_GENOTYPE, "--data", IMAGES, "--cells", "1", "--channels", "8",
         "--epochs", "2", "--steps-per-epoch", "2", "--batch", "4", "--patch", "12", "--val-images", "1"]


def test_genotype_searched_here_trains_in_the_cli(tmp_path):
    g, log, ck = tmp_path / "g.json", tmp_path / "log.jsonl", tmp_path / "search.srbc"
    torch_cli("search", "--data", IMAGES, "--epochs", "2", "--steps-per-epoch", "2", "--warmup", "1",
              "--cells", "1", "--channels", "8", "--k", "2", "--groups", "2", "--batch", "2",
              "--patch", "12", "--out", g, "--log", log, "--checkpoint", ck, "--device", "cpu")
    lines = [json.loads(x) for x in log.read_text().splitlines()]
    assert [x["step"] for x in lines] == [0, 1, 2, 3, 4]
    assert [x["archStep"] for x in lines] == [False, False, False, True, True]
    assert [("archGrad" in x) for x in lines] == [False, False, False, True, True]
    assert lines[1]["valLoss"] is None and lines[-1]["valLoss"] > 0
    # The TS search report reads the log (step-0 line, α-gradient split).
    report = json.loads(srbnas("search-report", log).stdout)["runs"][0]
    assert report["steps"] == 4 and report["archSteps"] == 2
    assert 0 < report["gradients"]["dataShare"] < 1
    js = json.loads(g.read_text())
    assert js["format"] == "srbnas-genotype" and js["search"]["backend"] == "torch-cpu"
    assert js["search"]["dataWeight"] == 1e5 and "preset" not in js["search"]  # custom sizes
    assert js["normal"] == lines[-1]["genotype"]["normal"]
    # Resuming a finished search has nothing to do, and says so.
    p = torch_cli("search", "--data", IMAGES, "--checkpoint", ck, "--out", g, "--device", "cpu",
                  check=False)
    assert p.returncode == 1 and "already at the last step" in p.stderr
    out = tmp_path / "cli-model"
    srbnas("train", "--genotype", g, "--data", IMAGES, "--cells", "1", "--channels", "8", "--epochs", "1",
           "--steps-per-epoch", "1", "--batch", "2", "--patch", "8", "--val-images", "1", "--out", out)
    model = json.loads((out / "model.json").read_text())
    assert model["architecture"]["genotype"]["normal"] == js["normal"]


def test_run_started_here_resumes_in_the_cli(tmp_path):
    here, mixed = tmp_path / "torch", tmp_path / "mixed"
    torch_cli("train", *TRAIN, "--out", here, "--device", "cpu")
    torch_cli("train", *TRAIN, "--out", mixed, "--stop-after", "2", "--device", "cpu")
    p = srbnas("train", *TRAIN, "--out", mixed)
    assert "resuming" in p.stderr
    meta = json.loads((mixed / "model.json").read_text())["training"]
    assert meta["epochsDone"] == 2 and len(meta["commands"]) == 2 and len(meta["valPsnr"]) == 2
    a = np.fromfile(here / "weights.bin", "<f4")
    b = np.fromfile(mixed / "weights.bin", "<f4")
    print(f"[interop] torch 4 steps vs torch 2 + tfjs 2: max |Δw| {np.abs(a - b).max():.2e}")
    assert np.abs(a - b).max() <= 1e-5


def test_search_checkpoint_resumes_bit_for_bit():
    from srbnas_torch.config import DEFAULT_SEARCH_CONFIG
    from srbnas_torch.image_io import load_image_dir
    from srbnas_torch.patches import search_data_for
    from srbnas_torch.search import Search

    images = load_image_dir(str(IMAGES))
    c = {**DEFAULT_SEARCH_CONFIG, "cells": 1, "channels": 8, "k": 2, "groups": 2, "batch": 2,
         "patch": 12, "epochs": 2, "stepsPerEpoch": 2, "warmupEpochs": 0, "regEpochs": 2}
    data = lambda: search_data_for(images, c)[:2]  # noqa: E731
    full = Search(c, *data())
    for _ in range(4):
        last = full.step()
    half = Search(c, *data())
    half.step()
    half.step()
    resumed = Search.restore(half.checkpoint(), *data())
    resumed.step()
    again = resumed.step()
    assert again["alpha"] == last["alpha"] and again["genotype"] == last["genotype"]
    for k, v in full.net.weights.to_numpy().items():
        assert np.array_equal(v, resumed.net.weights.to_numpy()[k]), k
