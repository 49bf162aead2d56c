"""The settings table's validator (config.search_config_problems, as searchConfigProblems in
src/core/search/params.ts) and `search` refusing what `srbnas search` refuses, before any work.
tests/test_parity_step.py checks the table itself against the TypeScript one."""

import argparse
import math
from types import SimpleNamespace

import pytest

from conftest import torch_cli
from srbnas_torch import cli_search
from srbnas_torch.cli_common import ranged
from srbnas_torch.config import (DEMO_CONFIG, PAPER_CONFIG, SEARCH_PARAMS, SEARCH_PRESETS, js_str,
                                 search_config_problems, search_config_usage)

NUMBER_KEYS = [k for k, p in SEARCH_PARAMS.items() if "choices" not in p]
INTEGER_KEYS = [k for k in NUMBER_KEYS if SEARCH_PARAMS[k]["integer"]]


def messages(c):
    return [p["message"] for p in search_config_problems(c)]


def with_(**kw):
    return {**PAPER_CONFIG, **kw}


def test_the_table_has_a_default_for_every_row_but_the_optional_ones():
    assert sorted(k for k, p in SEARCH_PARAMS.items() if not p.get("optional")) == sorted(PAPER_CONFIG)
    assert [k for k, p in SEARCH_PARAMS.items() if p.get("optional")] == ["splitSeed"]


@pytest.mark.parametrize("name", sorted(SEARCH_PRESETS))
def test_presets_have_no_problems(name):
    assert search_config_problems(SEARCH_PRESETS[name]) == []
    assert search_config_usage(SEARCH_PRESETS[name]) is None


def test_absent_fields_take_the_table_default_and_the_optional_split_seed_may_be_absent():
    c = {k: v for k, v in DEMO_CONFIG.items() if k not in ("mu", "dataWeight", "alphaInitStd")}
    assert "splitSeed" not in c and search_config_problems(c) == []
    assert search_config_problems({**c, "splitSeed": None}) == []
    assert messages({**c, "splitSeed": -1}) == ["split seed (-1) must be in 0..2147483647"]


@pytest.mark.parametrize("key", NUMBER_KEYS)
def test_each_number_row_is_inclusive_at_min_and_max_and_refuses_beyond(key):
    p = SEARCH_PARAMS[key]
    # A config where every row's min and max also pass the cross-field rules (C/k and k, g ≤ 16
    # divide 256; Tmin ≤ 10 < 0.1 ≤ Tmax), but for a warm-up of 10000 epochs.
    base = with_(channels=256, k=1, groups=1, tMin=0.001, tMax=100, warmupEpochs=0, epochs=10000)
    for v in (p["min"], p["max"]):
        want = []
        if key == "warmupEpochs" and v == p["max"]:
            want = ["warm-up (10000) must be shorter than epochs (10000), else α never moves"]
        assert messages({**base, key: v}) == want, (key, v)
    step = 1 if p["integer"] else max(abs(p["min"]), abs(p["max"])) * 1e-9
    for v in (p["min"] - step, p["max"] + step):
        assert messages({**base, key: v}) == [
            f"{p['label']} ({js_str(v)}) must be in {js_str(p['min'])}..{js_str(p['max'])}"], (key, v)


@pytest.mark.parametrize("key", INTEGER_KEYS)
def test_integer_rows_refuse_fractions_but_take_whole_floats(key):
    p = SEARCH_PARAMS[key]
    v = p["min"] + 0.5
    assert messages(with_(**{key: v})) == [f"{p['label']} ({js_str(v)}) must be a whole number"]
    assert search_config_problems(with_(**{key: float(PAPER_CONFIG.get(key, 5))})) == []


def test_not_a_number_and_choices():
    assert messages(with_(mu="0.5")) == ["μ (L1 on p) (0.5) must be a number"]
    assert messages(with_(mu=math.nan)) == ["μ (L1 on p) (NaN) must be a number"]
    assert messages(with_(mu=True)) == ["μ (L1 on p) (true) must be a number"]
    assert messages(with_(rho=math.inf)) == ["ρ (L2 on p) (Infinity) must be a number"]
    assert messages(with_(scale=5)) == ["scale (5) must be one of 2, 3, 4"]
    assert messages(with_(scale="3")) == ["scale (3) must be one of 2, 3, 4"]
    assert search_config_problems(with_(scale=3.0)) == []
    assert messages(with_(l1Target="l2")) == ["L1 target of the μ term (l2) must be one of softmax, logits"]


def test_cross_field_rules_with_their_boundaries():
    ok = with_(channels=64, k=8, groups=4, tMin=0.1, tMax=10, warmupEpochs=25, epochs=100)
    assert search_config_problems(ok) == []
    assert search_config_problems({**ok, "channels": 64, "k": 8, "groups": 8}) == []  # C/k = 8 = g
    assert search_config_problems({**ok, "tMin": 9.99}) == []
    assert search_config_problems({**ok, "warmupEpochs": 99}) == []
    p = search_config_problems({**ok, "channels": 30})
    assert p == [{"keys": ["channels", "k"], "message": "channels C (30) must be divisible by k (8)"}]
    p = search_config_problems({**ok, "channels": 32, "groups": 3})
    assert p == [{"keys": ["channels", "k", "groups"], "message": "C/k (4) must be divisible by groups (3)"}]
    p = search_config_problems({**ok, "tMin": 10})
    assert p == [{"keys": ["tMin", "tMax"], "message": "EDE Tmin (10) must be below Tmax (10)"}]
    p = search_config_problems({**ok, "warmupEpochs": 100})
    assert p == [{"keys": ["warmupEpochs", "epochs"],
                  "message": "warm-up (100) must be shorter than epochs (100), else α never moves"}]
    # Not divisible by k: the groups rule is not asked (C/k is no whole number); the others are.
    assert [x["keys"] for x in search_config_problems({**ok, "channels": 30, "groups": 3, "tMin": 9,
                                                       "tMax": 1, "warmupEpochs": 200})] == [
        ["channels", "k"], ["tMin", "tMax"], ["warmupEpochs", "epochs"]]


def test_range_problems_come_first_and_alone():
    # Every range problem, in the table's order; the cross-field rules only once the values fit.
    c = with_(channels=30, k=8, tMin=10, tMax=1, mu=-5, batch=0)
    assert messages(c) == ["batch (0) must be in 1..256", "μ (L1 on p) (-5) must be in 0..2"]


def test_usage_text_names_the_flags():
    assert search_config_usage(with_(channels=30, k=8)) == \
        "--channels, --k: channels C (30) must be divisible by k (8)"
    assert search_config_usage(with_(tMin=10, tMax=1, warmupEpochs=20, epochs=10)) == (
        "--t-min, --t-max: EDE Tmin (10) must be below Tmax (1); --warmup, --epochs: warm-up (20) "
        "must be shorter than epochs (10), else α never moves")
    assert search_config_usage(with_(archWeightDecay=2)) == "--arch-wd: α/β weight decay (2) must be in 0..1"


def test_js_str_writes_numbers_as_javascript():
    cases = {10.0: "10", -5.0: "-5", 0.1: "0.1", 1e-3: "0.001", 1e-6: "0.000001", 1e-7: "1e-7",
             6e-4: "0.0006", 1e5: "100000", 1e21: "1e+21", 1.5e-7: "1.5e-7", 2**31 - 1: "2147483647",
             123.456: "123.456", 0.0: "0", -0.0: "0", 4: "4"}
    for v, s in cases.items():
        assert js_str(v) == s, v


def test_flag_ranges_refuse_as_srbnas_parse_args():
    conv = ranged(1, 8, True)
    assert conv("8") == 8 and conv("1e0") == 1 and isinstance(conv("3"), int)
    for raw, why in (("9", "9 is above the maximum 8"), ("0", "0 is below the minimum 1"),
                     ("2.5", "'2.5' is not an integer"), ("x", "'x' is not a number"),
                     ("nan", "'nan' is not a number"), ("0x10", "'0x10' is not a number")):
        with pytest.raises(argparse.ArgumentTypeError, match=f"^{why}$"):
            conv(raw)
    conv = ranged(1e-6, 1, False)
    assert conv("0.000001") == 1e-6
    with pytest.raises(argparse.ArgumentTypeError, match="^1e-7 is below the minimum 0.000001$"):
        conv("1e-7")


@pytest.fixture
def no_work(monkeypatch):
    """The search refuses before loading images or starting a process group."""
    def touched(*_):
        raise AssertionError("touched the data")
    monkeypatch.setattr(cli_search, "load_image_dir", touched)
    monkeypatch.setattr(cli_search, "init_world", touched)


@pytest.mark.parametrize("flags,error", [
    (["--mu", "-5"], "argument --mu: -5 is below the minimum 0"),
    (["--channels", "2"], "argument --channels: 2 is below the minimum 4"),
    (["--t-max", "101"], "argument --t-max: 101 is above the maximum 100"),
    (["--epochs", "2.5"], "argument --epochs: '2.5' is not an integer"),
    (["--channels", "30", "--k", "8"], "--channels, --k: channels C (30) must be divisible by k (8)"),
    (["--channels", "32", "--k", "8", "--groups", "3"],
     "--channels, --k, --groups: C/k (4) must be divisible by groups (3)"),
    (["--t-min", "10", "--t-max", "1"], "--t-min, --t-max: EDE Tmin (10) must be below Tmax (1)"),
    (["--warmup", "20", "--epochs", "10"],
     "--warmup, --epochs: warm-up (20) must be shorter than epochs (10), else α never moves"),
    # --epochs alone brings a 25 % warm-up; epochs 1 → warm-up 0, fine; a preset warm-up kept with
    # fewer epochs is not.
    (["--epochs", "5", "--warmup", "5", "--channels", "30", "--k", "8"],
     "--channels, --k: channels C (30) must be divisible by k (8); "
     "--warmup, --epochs: warm-up (5) must be shorter than epochs (5), else α never moves"),
])
def test_search_cli_refuses_before_any_work(tmp_path, no_work, flags, error):
    p = torch_cli("search", "--preset", "demo", "--data", tmp_path / "absent", "--out", tmp_path / "g.json",
                  *flags, check=False)
    assert p.returncode == 1
    assert p.stderr == f"srbnas_torch search: {error}\n"
    assert not (tmp_path / "g.json").exists()


def test_search_cli_lets_a_valid_config_through(tmp_path, monkeypatch):
    def reached(*_):
        raise OSError("reached the data")
    monkeypatch.setattr(cli_search, "load_image_dir", reached)
    monkeypatch.setattr(cli_search, "init_world", lambda device: SimpleNamespace(is_main=True))
    monkeypatch.setattr(cli_search, "shutdown", lambda world: None)
    # The boundaries are valid: warm-up one below epochs, Tmin just below Tmax, C/k = groups.
    p = torch_cli("search", "--preset", "demo", "--data", tmp_path, "--epochs", "1", "--t-min", "0.5",
                  "--t-max", "0.5001", "--channels", "16", "--k", "4", "--groups", "4", "--mu", "2",
                  "--device", "cpu", check=False)
    assert p.returncode == 1 and p.stderr == "srbnas_torch search: reached the data\n"
