"""Model folders cross between the CLI and PyTorch: one written by `srbnas train` upscales here to
the same PNG as `srbnas upscale` (max difference ≤ 1 grey level), and one trained here loads in the
CLI and gives the same output. Differences come only from float32 summation order (tfjs WASM vs
torch), which can move a rounded value by one level."""

import json
import shutil

import numpy as np
import pytest
from PIL import Image as PILImage

from conftest import HAND_GENOTYPE, IMAGES, REPO, srbnas, torch_cli
from srbnas_torch.image_io import read_image, to_float, write_image
from srbnas_torch.infer import upscale_float, upscale_image
from srbnas_torch.model_format import read_model_dir

PHOTO = IMAGES / "coffee.png"


def compare(a_path, b_path):
    a, b = read_image(str(a_path)), read_image(str(b_path))
    assert a.shape == b.shape
    d = np.abs(a.astype(int) - b.astype(int))
    return int(d.max()), int((d > 0).sum()), d.size


def upscale_both(model, image, tmp, tag, via_cli=False):
    """`srbnas upscale` vs PyTorch (its CLI, or the same calls in this process: faster)."""
    cli, torch_png = tmp / f"{tag}-cli.png", tmp / f"{tag}-torch.png"
    srbnas("upscale", "--model", model, image, "-o", cli)
    if via_cli:
        torch_cli("upscale", "--model", model, image, "-o", torch_png, "--device", "cpu", subprocess_=True)
    else:
        net, _ = read_model_dir(str(model))
        write_image(str(torch_png), upscale_image(net, read_image(str(image)), 128))
    m, n, size = compare(cli, torch_png)
    print(f"[parity] {tag}: max diff {m}, {n} of {size} samples differ")
    return m


@pytest.fixture(scope="module")
def cli_trained(tmp_path_factory):
    """A model folder written by `srbnas train` (tiny, on the bundled images)."""
    out = tmp_path_factory.mktemp("cli-model")
    srbnas("train", "--genotype", HAND_GENOTYPE, "--data", IMAGES, "--cells", "2", "--channels", "8",
           "--groups", "2", "--epochs", "1", "--steps-per-epoch", "4", "--batch", "4", "--patch", "12",
           "--val-images", "1", "--out", out)
    return out


def test_cli_trained_model_upscales_the_same_in_torch(cli_trained, tmp_path):
    assert upscale_both(cli_trained, PHOTO, tmp_path, "srbnas train → torch", via_cli=True) <= 1


def test_gray_and_alpha_images_come_back_the_same(cli_trained, tmp_path):
    rgba = np.asarray(PILImage.open(PHOTO).convert("RGBA")).copy()[:60, :80]
    rgba[:, :40, 3] = 90
    PILImage.fromarray(rgba, "RGBA").save(tmp_path / "alpha.png")
    PILImage.fromarray(rgba[..., 1], "L").save(tmp_path / "gray.png")
    for name, channels in (("alpha.png", 4), ("gray.png", 1)):
        assert upscale_both(cli_trained, tmp_path / name, tmp_path, name) <= 1
        assert read_image(str(tmp_path / f"{name}-torch.png")).shape[2] == channels


@pytest.mark.parametrize("scale", [2, 3, 4])
def test_bundled_models_upscale_the_same_in_torch(scale, tmp_path):
    """The bundled models (packed 1-bit folders since issue 11, or float ones) load here too."""
    model = REPO / "public" / "models" / f"x{scale}"
    js = json.loads((model / "model.json").read_text())
    assert js.get("encoding", "float32") in ("float32", "packed-1bit")
    crop = tmp_path / "crop.png"  # a 120×90 piece keeps the CLI quick
    PILImage.open(PHOTO).crop((40, 20, 160, 110)).save(crop)
    tag = f"bundled x{scale} ({js.get('encoding', 'float32')})"
    assert upscale_both(model, crop, tmp_path, tag) <= 1


def test_packed_folder_gives_the_float_folders_output_exactly(cli_trained, tmp_path):
    """`srbnas pack` of a float folder: here, both folders give the same output bit for bit
    (the float model at inference computes the packed form: integer dot, then × c)."""
    packed = tmp_path / "packed"
    srbnas("pack", cli_trained, "-o", packed)
    assert json.loads((packed / "model.json").read_text())["encoding"] == "packed-1bit"
    net_f, _ = read_model_dir(str(cli_trained))
    net_p, _ = read_model_dir(str(packed))
    assert net_p.packed and not net_f.packed
    lr = to_float(read_image(str(PHOTO)))
    a, b = upscale_float(net_f, lr, 0), upscale_float(net_p, lr, 0)
    assert np.array_equal(a, b)


def test_tiles_do_not_change_the_torch_output(cli_trained):
    """Tiles with the receptive radius as overlap give the untiled output up to float rounding
    (torch picks conv algorithms by size); without the overlap they would not."""
    net, _ = read_model_dir(str(cli_trained))
    lr = to_float(read_image(str(PHOTO)))
    whole = upscale_float(net, lr, 0)
    assert float(np.abs(upscale_float(net, lr, 37) - whole).max()) < 1e-5


def test_torch_trained_model_loads_in_the_cli_with_the_same_output(tmp_path):
    out = tmp_path / "torch-model"
    torch_cli("train", "--genotype", HAND_GENOTYPE, "--data", IMAGES, "--cells", "2", "--channels", "8",
              "--groups", "2", "--epochs", "1", "--steps-per-epoch", "4", "--batch", "4", "--patch", "12",
              "--val-images", "1", "--out", out, "--device", "cpu")
    js = json.loads((out / "model.json").read_text())
    assert js["format"] == "srbnas-model" and js["training"]["epochsDone"] == 1
    assert len(js["training"]["valPsnr"]) == 1
    # The CLI reads it (its loader checks names, shapes and sizes) and prints its description.
    p = srbnas("upscale", "--model", out, PHOTO, "-o", tmp_path / "cli.png")
    assert "SRBNAS 2 cells C=8 g=2 x3" in p.stderr
    torch_cli("upscale", "--model", out, PHOTO, "-o", tmp_path / "torch.png", "--device", "cpu")
    m, n, size = compare(tmp_path / "cli.png", tmp_path / "torch.png")
    print(f"[parity] torch train → srbnas upscale: max diff {m}, {n} of {size} samples differ")
    assert m <= 1
    # And the trained weights did move (an untrained SRBNAS net is exactly bicubic).
    net, _ = read_model_dir(str(out))
    assert float(net.params.vars["tail/w"].abs().max()) > 0
    shutil.rmtree(out)
