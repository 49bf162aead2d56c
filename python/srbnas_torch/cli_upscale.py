"""`upscale`: enlarge one image with bicubic or a model folder (as `srbnas upscale`)."""

import sys
import time

from .bicubic import upscale_bicubic
from .cli_common import UsageError, add_device, parser, positive_int
from .distributed import pick_device
from .image_io import read_image, write_image
from .infer import upscale_image
from .model_format import is_model_path, read_model_dir

CLI_TILE = 128


def build_parser():
    p = parser("upscale", "Upscale an image by an integer factor with a model.")
    p.add_argument("input", help="input PNG/JPEG")
    p.add_argument("--model", default="bicubic", help="bicubic or a trained model folder")
    p.add_argument("-o", "--output", required=True, help="output image (.png, or .jpg)")
    p.add_argument("--scale", type=positive_int(2), help="factor (default: the model's own; required for bicubic)")
    p.add_argument("--tile", type=positive_int(0), default=CLI_TILE,
                   help="LR tile side (0 = whole image; tiles overlap by the receptive field, so the result is the same)")
    p.add_argument("--quality", type=positive_int(1), default=92, help="JPEG quality")
    add_device(p)
    return p


def run(argv) -> int:
    a = build_parser().parse_args(argv)
    img = read_image(a.input)
    t0 = time.time()
    if a.model == "bicubic":
        if a.scale is None:
            raise UsageError("--scale is required for --model bicubic")
        scale = a.scale
        out = upscale_bicubic(img, scale)
    elif is_model_path(a.model):
        net, js = read_model_dir(a.model, pick_device(a.device))
        scale = net.config["scale"]
        if a.scale is not None and a.scale != scale:
            raise ValueError(f"model {js['name']} upscales x{scale}, not x{a.scale} (pass --scale {scale})")
        out = upscale_image(net, img, a.tile)
    else:
        raise UsageError(f"--model: unknown model '{a.model}' (bicubic, or a trained model folder)")
    write_image(a.output, out, a.quality)
    print(f"{a.input} {img.shape[1]}x{img.shape[0]} -> {a.output} {out.shape[1]}x{out.shape[0]} "
          f"(x{scale}, {a.model}, {time.time() - t0:.2f} s)")
    sys.stdout.flush()
    return 0
