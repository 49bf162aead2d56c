"""`eval`: PSNR/SSIM (Y, border = scale) of bicubic or a model folder on Set5/Set14/BSD100."""

import json
import os
import time

from .bicubic import upscale_bicubic
from .cli_common import UsageError, add_device, find_datasets, int_list, parser, str_list
from .distributed import pick_device
from .image_io import read_image
from .infer import upscale_image
from .metrics import sr_score
from .model_format import is_model_path, read_model_dir


def list_pairs(root: str, set_name: str, scale: int):
    base = os.path.join(root, set_name, f"x{scale}")
    hr_dir, lr_dir = os.path.join(base, "HR"), os.path.join(base, "LR")
    if not os.path.isdir(root):
        raise ValueError(f"{root}: datasets folder not found")
    if not os.path.isdir(hr_dir) or not os.path.isdir(lr_dir):
        raise ValueError(f"{base}: no HR/ and LR/ folders (is '{set_name}' at x{scale} in {root}?)")
    names = sorted(f for f in os.listdir(hr_dir) if f.lower().endswith((".png", ".jpg", ".jpeg")))
    if not names:
        raise ValueError(f"{hr_dir}: no images")
    out = []
    for f in names:
        lr = os.path.join(lr_dir, f)
        if not os.path.exists(lr):
            raise ValueError(f"{lr}: LR partner of {os.path.join(hr_dir, f)} is missing")
        out.append((os.path.splitext(f)[0], os.path.join(hr_dir, f), lr))
    return out


def build_parser():
    p = parser("eval", "PSNR/SSIM (Y channel, border = scale) of a model on Set5/Set14/BSD100.")
    p.add_argument("--model", default="bicubic", help="bicubic or a trained model folder")
    p.add_argument("--data", help="datasets folder with <set>/x<s>/{HR,LR} (default: $SRBNAS_DATASETS or ../shared/datasets)")
    p.add_argument("--sets", type=str_list, default=["Set5", "Set14", "BSD100"], help="benchmark sets")
    p.add_argument("--scale", type=int_list, default=[2, 3, 4], help="scales")
    p.add_argument("--json", help="also write all scores (per image) as JSON")
    p.add_argument("--round-y", action="store_true", help="round Y to integers before the metrics")
    add_device(p)
    return p


def run(argv) -> int:
    a = build_parser().parse_args(argv)
    root = a.data or find_datasets()
    if not root:
        raise UsageError("no datasets folder: pass --data DIR or set SRBNAS_DATASETS")
    if a.model == "bicubic":
        upscaler, model_scale = (lambda lr, s: upscale_bicubic(lr, s)), None
    elif is_model_path(a.model):
        net, _ = read_model_dir(a.model, pick_device(a.device))
        model_scale = net.config["scale"]
        upscaler = lambda lr, s: upscale_image(net, lr, 128)  # noqa: E731
    else:
        raise UsageError(f"--model: unknown model '{a.model}' (bicubic, or a trained model folder)")
    t0 = time.time()
    results = []
    for set_name in a.sets:
        for s in a.scale:
            if model_scale is not None and s != model_scale:
                raise ValueError(f"model upscales x{model_scale}, not x{s} (pass --scale {model_scale})")
            images = []
            for name, hr_p, lr_p in list_pairs(root, set_name, s):
                hr, lr = read_image(hr_p), read_image(lr_p)
                sc = sr_score(hr, upscaler(lr, s), s, a.round_y)
                images.append({"name": name, **sc})
            n = len(images)
            results.append({"set": set_name, "scale": s, "count": n,
                            "psnr": sum(i["psnr"] for i in images) / n,
                            "ssim": sum(i["ssim"] for i in images) / n, "images": images})
    print(f"{a.model}: mean PSNR (dB) / SSIM over images, Y channel (BT.601), border = scale")
    for r in results:
        print(f"{r['set']:8s} x{r['scale']}  {r['psnr']:.2f} / {r['ssim']:.4f}")
    secs = time.time() - t0
    print(f"{sum(r['count'] for r in results)} images in {secs:.1f} s")
    if a.json:
        with open(a.json, "w", encoding="utf8") as f:
            json.dump({"model": a.model, "data": root,
                       "convention": {"channel": "Y (BT.601)", "border": "scale", "roundY": a.round_y,
                                      "ssim": "11x11 gaussian 1.5"},
                       "seconds": secs, "results": results}, f, indent=2)
            f.write("\n")
        print(f"wrote {a.json}")
    return 0
