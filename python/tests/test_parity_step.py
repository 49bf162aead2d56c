"""One search step and one training step from the same weights and batch give the same gradients
as tfjs (relative error ≤ 1e-4 per variable, ‖g_torch − g_tfjs‖ / ‖g_tfjs‖), and the same data
pipeline and initial weights from the same seed."""

import numpy as np
import pytest

from conftest import IMAGES, SEARCH_STEP
from srbnas_torch.config import DEFAULT_SEARCH_CONFIG, DEFAULT_TRAIN_CONFIG, SEARCH_PARAMS, SEARCH_PRESETS
from srbnas_torch.image_io import load_image_dir
from srbnas_torch.patches import search_data_for, train_data_from_images
from srbnas_torch.search import Search
from srbnas_torch.trainer import Trainer

TOL = 1e-4


def nchw(a):
    return np.ascontiguousarray(a.transpose(0, 3, 1, 2))


def rel(a, b):
    return float(np.linalg.norm(a - b) / max(np.linalg.norm(b), 1e-30))


def sub(tensors, prefix):
    return {k[len(prefix):]: v for k, v in tensors.items() if k.startswith(prefix)}


class Fixed:
    """A sampler that hands out one batch (the test feeds the dumped batch explicitly)."""

    def __init__(self, b):
        self.b, self.drawn = b, 0

    def next(self):
        self.drawn += 1
        return self.b


def report(name, errs):
    worst = max(errs, key=lambda e: e[0])
    print(f"[parity] {name}: {len(errs)} tensors, max rel err {worst[0]:.2e} ({worst[1]}), "
          f"median {sorted(e[0] for e in errs)[len(errs) // 2]:.2e}")
    return worst[0]


def test_defaults_match_typescript(tfjs_dump):
    header, _, _ = tfjs_dump
    assert header["defaults"]["search"] == DEFAULT_SEARCH_CONFIG
    assert header["defaults"]["presets"] == SEARCH_PRESETS
    assert header["defaults"]["train"] == DEFAULT_TRAIN_CONFIG
    # The settings table: same rows in the same order (problems are listed in it), same flags,
    # labels, ranges, choices and optional rows.
    assert list(header["defaults"]["params"].items()) == list(SEARCH_PARAMS.items())


def test_same_seed_same_batches_and_initial_weights(tfjs_dump):
    header, t, _ = tfjs_dump
    c = header["search"]["config"]
    assert c["splitSeed"] != c["seed"]
    train, val, _ = search_data_for(load_image_dir(str(IMAGES)), c)
    for name, b in (("train", train.next()), ("val", val.next())):
        for k in ("lr", "hr", "bic"):
            assert np.array_equal(getattr(b, k), nchw(t[f"search/{name}:{k}"])), f"{name} {k}"
    s = Search(c, train, val)
    init = sub(t, "search/init:")
    mine = {**s.net.weights.to_numpy(), **s.net.arch.to_numpy()}
    assert sorted(mine) == sorted(init)
    for k, v in mine.items():
        if k != "beta":  # the hook sets β itself (betaInitStd)
            assert np.array_equal(v, init[k]), k


def test_search_step_gradients_match_tfjs(tfjs_dump):
    header, t, _ = tfjs_dump
    c = header["search"]["config"]
    assert c["warmupEpochs"] == 0 and SEARCH_STEP["betaInitStd"] > 0 and c["dataWeight"] != 1
    bt = Fixed(None)
    bv = Fixed(None)
    from srbnas_torch.patches import PatchBatch
    bt.b = PatchBatch(*(nchw(t[f"search/train:{k}"]) for k in ("lr", "hr", "bic")))
    bv.b = PatchBatch(*(nchw(t[f"search/val:{k}"]) for k in ("lr", "hr", "bic")))
    s = Search(c, bt, bv)
    init = sub(t, "search/init:")
    s.net.weights.load_values({k: v for k, v in init.items() if k not in ("alpha", "beta")})
    s.net.arch.load_values({k: init[k] for k in ("alpha", "beta")})

    loss, gw = s.w_grads(bt.b)
    assert float(loss) == pytest.approx(header["search"]["wLoss"], rel=1e-5)
    want = sub(t, "search/gw:")
    names = s.net.weights.names()
    assert sorted(names) == sorted(want)
    zero = [n for n in names if not np.any(want[n])]
    assert not zero, f"tfjs gradients are all zero for {zero}: the test would not see them"
    w_err = report("search w-grads", [(rel(g.numpy(), want[n]), n) for g, n in zip(gw, names)])
    s._apply(s.w_opt, s.w_params, gw)

    arch_loss, val_l1, ga = s.arch_grads(bv.b)
    assert float(arch_loss) == pytest.approx(header["search"]["archLoss"], rel=1e-5)
    assert float(val_l1) == pytest.approx(header["search"]["valL1"], rel=1e-5)
    a_err = report("search α/β-grads", [(rel(g.numpy(), t[f"search/ga:{n}"]), n)
                                       for g, n in zip(ga, ("alpha", "beta"))])
    s._apply(s.a_opt, s.a_params, ga)
    after = {**s.net.weights.to_numpy(), **s.net.arch.to_numpy()}
    moved = max(float(np.abs(after[k] - init[k]).max()) for k in after)
    diff = max(float(np.abs(after[k] - t[f"search/after:{k}"]).max()) for k in after)
    print(f"[parity] search step: weights moved up to {moved:.2e}, torch − tfjs after the step {diff:.2e}")
    assert w_err <= TOL and a_err <= TOL
    assert diff <= 1e-3 * moved


def test_training_step_gradients_match_tfjs(tfjs_dump):
    """The tfjs trainer's checkpoint after 2 steps resumes here (weights, Adam moments and step,
    data position); the next step's gradients and update equal tfjs'."""
    header, t, ckpt = tfjs_dump
    m = header["train"]
    arch, cfg = m["arch"], m["config"]
    assert m["warmSteps"] > 0
    data = train_data_from_images(load_image_dir(str(IMAGES)), arch["scale"], cfg["patch"],
                                  cfg["batch"], cfg["seed"], 1)
    tr = Trainer.restore(ckpt.read_bytes(), data["sampler"])
    assert tr.step_index == m["warmSteps"] and tr.adam_step() == m["warmSteps"]
    init = sub(t, "train/init:")
    for k, v in tr.net.params.to_numpy().items():
        assert np.array_equal(v, init[k]), k
    r = tr.step()  # draws the same batch: the sampler was advanced to the checkpoint's position
    assert r["loss"] == pytest.approx(m["loss"], rel=1e-5)
    zero = [n for n in tr.net.params.vars if not np.any(t[f"train/g:{n}"])]
    assert not zero, f"tfjs gradients are all zero for {zero}: the test would not see them"
    err = report("train grads", [(rel(p.grad.numpy(), t[f"train/g:{n}"]), n)
                                 for n, p in tr.net.params.vars.items()])
    assert err <= TOL
    after = tr.net.params.to_numpy()
    diff = max(float(np.abs(v - t[f"train/after:{k}"]).max()) for k, v in after.items())
    print(f"[parity] training step: torch − tfjs after the step {diff:.2e} (lr {cfg['lr']})")
    assert diff <= 1e-3 * cfg["lr"]
