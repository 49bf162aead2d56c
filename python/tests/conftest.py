"""Shared fixtures of the PyTorch port's tests: repository paths, the `srbnas` CLI and the tfjs
step dump (bench/torch/dumpStep.ts), torchrun, and the datasets folder (tests that need it skip
with a message when it is absent)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

try:
    import torch  # noqa: F401
except ImportError:  # pragma: no cover
    pytest.exit("PyTorch is missing for this python (the tests use Debian's: apt-get install -y "
                "python3-torch python3-numpy python3-pil python3-pytest; or set SRBNAS_PYTHON)",
                returncode=1)

# One intra-op thread: the tests' networks are tiny, and on a shared 2-core machine torch's
# OpenMP threads spin against other processes (measured: a step 25× slower at load 8).
torch.set_num_threads(1)

PY_ROOT = Path(__file__).resolve().parents[1]
REPO = PY_ROOT.parent
sys.path.insert(0, str(PY_ROOT))

IMAGES = REPO / "public" / "images"
HAND_GENOTYPE = REPO / "models" / "genotypes" / "hand-x3.json"
PYTHON = sys.executable


def datasets_dir():
    d = os.environ.get("SRBNAS_DATASETS") or str(REPO.parent / "shared" / "datasets")
    return Path(d) if os.path.isdir(d) else None


def need_datasets() -> Path:
    d = datasets_dir()
    if d is None:
        pytest.skip("datasets folder absent (../shared/datasets or $SRBNAS_DATASETS): "
                    "benchmark-image tests skipped")
    return d


def run(cmd, cwd=REPO, env=None, timeout=300, check=True) -> subprocess.CompletedProcess:
    """Run a command; on failure (check) the assertion shows its output."""
    e = {**os.environ, "PYTHONPATH": str(PY_ROOT), "OMP_NUM_THREADS": "1", **(env or {})}
    p = subprocess.run([str(c) for c in cmd], cwd=cwd, env=e, capture_output=True, text=True,
                       timeout=timeout)
    assert not check or p.returncode == 0, f"{' '.join(map(str, cmd))} failed ({p.returncode}):\n{p.stdout}\n{p.stderr}"
    return p


def srbnas(*args, **kw):
    """The TypeScript CLI (tfjs WASM backend)."""
    return run(["node", REPO / "bin" / "srbnas.mjs", *args], **kw)


def torch_cli(*args, subprocess_=False, check=True, **kw):
    """`python3 -m srbnas_torch …`; in this process by default (the same main(), without paying
    a torch import per call), or as a real subprocess (subprocess_=True)."""
    if subprocess_:
        return run([PYTHON, "-m", "srbnas_torch", *args], check=check, **kw)
    import contextlib
    import io

    from srbnas_torch.cli import main

    out, err = io.StringIO(), io.StringIO()
    cwd = os.getcwd()
    try:
        os.chdir(kw.get("cwd", REPO))
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            rc = main([str(a) for a in args])
    finally:
        os.chdir(cwd)
    p = subprocess.CompletedProcess(args, rc, out.getvalue(), err.getvalue())
    assert not check or rc == 0, f"srbnas_torch {' '.join(map(str, args))} failed ({rc}):\n{p.stdout}\n{p.stderr}"
    return p


# torch 1.13's torchrun maps the default `--redirects 0` to None on Python 3.11 (IntFlag 0 is no
# longer iterated) and crashes; an explicit stdout redirect with tee avoids that code path.
TORCHRUN_COMPAT = ["--redirects", "1", "--tee", "1"]


def torchrun(nproc: int, *args, **kw):
    return run([PYTHON, "-m", "torch.distributed.run", "--nproc_per_node", str(nproc),
                *TORCHRUN_COMPAT, "-m", "srbnas_torch", *args], **kw)


TINY_ARCH = {"arch": "srbnas", "scale": 3, "cells": 1, "channels": 8, "groups": 2,
             "genotype": {"normal": [["bin_conv_3x3", 1], ["bin_conv_3x3", 0], ["bin_conv_3x3", 2],
                                     ["skip_connect", 1], ["bin_dil_conv_3x3", 3], ["bin_conv_5x5", 2],
                                     ["bin_conv_7x7", 4], ["bin_dil_conv_5x5", 0]],
                          "normal_concat": [2, 3, 4, 5]}}

# One search step at a small configuration that still has every feature on: 2 cells, partial
# channels (k = 4), groups, EDE away from identity (t = 0.5, k = 2), both regularisers at full
# weight (regEpochs 0 → lin = 1), μ acting (l1Target logits), κ ≠ 1 and of the size of the
# regularisers, its own split seed, α and β away from their initial values.
SEARCH_STEP = {"channels": 16, "k": 4, "groups": 2, "cells": 2, "batch": 4, "patch": 12,
               "tMin": 0.5, "tMax": 5, "regEpochs": 0, "l1Target": "logits", "dataWeight": 300,
               "splitSeed": 5, "alphaInitStd": 0.5, "betaInitStd": 0.5}
TRAIN_STEP = {"arch": TINY_ARCH, "batch": 4, "patch": 12, "tMin": 0.5, "tMax": 5, "epochs": 10,
              "warmSteps": 2}


@pytest.fixture(scope="session")
def tfjs_dump(tmp_path_factory):
    """(header, tensors, path of the tfjs training checkpoint before the dumped step) of one tfjs
    search step and one training step on the bundled images."""
    import json

    from srbnas_torch.pack import read_tensors

    d = tmp_path_factory.mktemp("dump")
    out, train, ckpt = d / "step.srbc", d / "train.json", d / "checkpoint.srbc"
    train.write_text(json.dumps(TRAIN_STEP))
    run(["node", "--import", "tsx", REPO / "bench" / "torch" / "dumpStep.ts", "--data", IMAGES,
         "--out", out, "--search", json.dumps(SEARCH_STEP), "--train", f"@{train}",
         "--train-checkpoint", ckpt])
    return (*read_tensors(str(out)), ckpt)
