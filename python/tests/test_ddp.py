"""DDP: `torchrun --nproc_per_node 2` (gloo, CPU) ends with the same weights as one process on
the full batch, up to float rounding; rank 0 checkpoints; a stopped run resumes (also under DDP)."""

import json

import numpy as np

from conftest import HAND_GENOTYPE, IMAGES, torch_cli, torchrun

TRAIN = ["train", "--genotype", HAND_GENOTYPE, "--data", IMAGES, "--cells", "1", "--channels", "8",
         "--epochs", "2", "--steps-per-epoch", "3", "--batch", "4", "--patch", "12",
         "--val-images", "1", "--device", "cpu"]
SEARCH = ["search", "--data", IMAGES, "--scale", "3", "--epochs", "2", "--steps-per-epoch", "2",
          "--warmup", "0", "--cells", "1", "--channels", "8", "--k", "2", "--groups", "2",
          "--batch", "4", "--patch", "12", "--alpha-init", "0.3", "--device", "cpu"]


def weights(folder):
    return np.fromfile(folder / "weights.bin", dtype="<f4")


def test_train_two_processes_equal_one_process_and_resume(tmp_path):
    one, two = tmp_path / "one", tmp_path / "two"
    torch_cli(*TRAIN, "--out", one)
    # 2 processes, stopped after 4 of 6 steps (checkpoint from rank 0), then resumed by the same
    # command: the DDP path, its checkpoint and its resume in one go.
    torchrun(2, *TRAIN, "--out", two, "--stop-after", "4")
    assert json.loads((two / "model.json").read_text())["training"]["epochsDone"] == 1
    p = torchrun(2, *TRAIN, "--out", two)
    assert "resuming" in p.stderr and "× 2 process(es)" in p.stderr
    assert sorted(f.name for f in two.iterdir()) == ["checkpoint.srbc", "model.json", "weights.bin"]
    meta = json.loads((two / "model.json").read_text())["training"]
    assert meta["processes"] == 2 and meta["epochsDone"] == 2 and len(meta["commands"]) == 2
    a, b = weights(one), weights(two)
    diff = float(np.abs(a - b).max())
    print(f"[ddp] train, 2 processes vs 1: max |Δw| {diff:.2e} over {a.size} weights "
          f"(max |w| {np.abs(a).max():.3f}); {int((a != b).sum())} differ in the last bits")
    assert diff <= 1e-5
    vp1 = json.loads((one / "model.json").read_text())["training"]["valPsnr"]
    assert np.allclose(vp1, meta["valPsnr"], atol=1e-3)


def test_search_two_processes_equal_one_process(tmp_path):
    torch_cli(*SEARCH, "--out", tmp_path / "one.json")
    torchrun(2, *SEARCH, "--out", tmp_path / "two.json")
    g1 = json.loads((tmp_path / "one.json").read_text())
    g2 = json.loads((tmp_path / "two.json").read_text())
    a1, a2 = np.array(g1["search"]["alpha"]), np.array(g2["search"]["alpha"])
    moved = float(np.abs(a1 - np.array(a1).mean(1, keepdims=True)).max())
    diff = float(np.abs(a1 - a2).max())
    print(f"[ddp] search, 2 processes vs 1: max |Δα| {diff:.2e} (α spread {moved:.2e}); "
          f"gates max |Δ| {np.abs(np.array(g1['search']['gates']) - g2['search']['gates']).max():.2e}")
    assert g2["search"]["processes"] == 2
    assert diff <= 1e-5
    assert g1["normal"] == g2["normal"]


def test_resume_single_process_is_bit_for_bit(tmp_path):
    full, split = tmp_path / "full", tmp_path / "split"
    torch_cli(*TRAIN, "--out", full)
    torch_cli(*TRAIN, "--out", split, "--stop-after", "2")
    torch_cli(*TRAIN, "--out", split)
    assert np.array_equal(weights(full), weights(split))
