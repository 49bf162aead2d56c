"""`python3 -m srbnas_torch <command>`: search, train, eval, upscale — the `srbnas` commands on
PyTorch, with the same flags and files."""

import os
import sys

from . import cli_eval, cli_search, cli_train, cli_upscale
from .cli_common import UsageError

COMMANDS = {
    "search": (cli_search.run, "SRBNAS search on training images (genotype JSON)"),
    "train": (cli_train.run, "train a genotype or baseline (model folder; DDP under torchrun)"),
    "eval": (cli_eval.run, "PSNR/SSIM of a model on Set5/Set14/BSD100"),
    "upscale": (cli_upscale.run, "upscale an image with a model folder"),
}

USAGE = "usage: python3 -m srbnas_torch <command> [options]\n\ncommands:\n" + "\n".join(
    f"  {k:10s} {v[1]}" for k, v in COMMANDS.items()) + "\n\nRun `python3 -m srbnas_torch <command> --help` for the options of one command."


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if not argv or argv[0] in ("-h", "--help", "help"):
        print(USAGE)
        return 0 if argv else 1
    name, rest = argv[0], argv[1:]
    if name not in COMMANDS:
        print(f"srbnas_torch: unknown command '{name}'\n\n{USAGE}", file=sys.stderr)
        return 2
    try:
        return COMMANDS[name][0](rest)
    except (UsageError, ValueError, OSError) as e:
        print(f"srbnas_torch {name}: {e}", file=sys.stderr)
        if os.environ.get("SRBNAS_DEBUG"):
            raise
        return 1
