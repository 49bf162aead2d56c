"""The data pipeline on the benchmark images: our MATLAB-style bicubic reproduces the LR files
bit-exactly, and the bicubic baselines come out at the published values (DESIGN §3)."""

import numpy as np
import pytest

from conftest import need_datasets
from srbnas_torch.bicubic import downscale_bicubic, upscale_bicubic
from srbnas_torch.cli_eval import list_pairs
from srbnas_torch.image_io import read_image
from srbnas_torch.metrics import sr_score


@pytest.mark.parametrize("set_name,scale,limit", [("Set5", 2, None), ("Set5", 3, None),
                                                  ("Set5", 4, None), ("Set14", 3, None),
                                                  ("BSD100", 4, 10)])
def test_lr_images_are_reproduced_bit_exactly(set_name, scale, limit):
    root = need_datasets()
    pairs = list_pairs(str(root), set_name, scale)[:limit]
    for name, hr_p, lr_p in pairs:
        hr, lr = read_image(hr_p), read_image(lr_p)
        ours = downscale_bicubic(hr, scale)
        assert ours.shape == lr.shape, name
        assert np.array_equal(ours, lr), f"{set_name} x{scale} {name}: {int((ours != lr).sum())} samples differ"


@pytest.mark.parametrize("scale,published", [(2, 33.66), (3, 30.39), (4, 28.42)])
def test_set5_bicubic_baseline(scale, published):
    root = need_datasets()
    scores = [sr_score(read_image(h), upscale_bicubic(read_image(l), scale), scale)["psnr"]
              for _, h, l in list_pairs(str(root), "Set5", scale)]
    psnr = sum(scores) / len(scores)
    print(f"[datasets] Set5 x{scale} bicubic {psnr:.3f} dB (published {published})")
    assert abs(psnr - published) <= 0.05


def test_eval_of_a_model_folder_matches_srbnas_eval(tmp_path):
    """`eval` here and `srbnas eval` score the torchrun-trained fixture on Set5 ×3 alike."""
    import json

    from conftest import REPO, srbnas, torch_cli

    root = need_datasets()
    model = REPO / "e2e" / "fixtures" / "torch-ddp-x3"
    for tool, out in ((srbnas, tmp_path / "cli.json"), (torch_cli, tmp_path / "torch.json")):
        extra = ("--device", "cpu") if tool is torch_cli else ()
        tool("eval", "--model", model, "--data", root, "--sets", "Set5", "--scale", "3", "--json", out, *extra)
    a, b = (json.loads((tmp_path / f).read_text())["results"][0] for f in ("cli.json", "torch.json"))
    print(f"[datasets] Set5 x3, torch-ddp-x3: srbnas eval {a['psnr']:.4f} dB / {a['ssim']:.5f}, "
          f"torch {b['psnr']:.4f} dB / {b['ssim']:.5f}")
    assert abs(a["psnr"] - b["psnr"]) < 0.01 and abs(a["ssim"] - b["ssim"]) < 1e-4
