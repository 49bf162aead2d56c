"""Shared CLI plumbing: argparse with the `srbnas` flag names (kebab case, --no-x for booleans,
comma lists), the datasets folder lookup, and a progress line on stderr."""

import argparse
import math
import os
import re
import sys
import time
from typing import List, Optional

from .config import js_str


class UsageError(Exception):
    pass


class Parser(argparse.ArgumentParser):
    def error(self, message):  # one clear line, as srbnas prints
        raise UsageError(message)


def parser(prog: str, summary: str, epilog: Optional[str] = None) -> Parser:
    return Parser(prog=f"python3 -m srbnas_torch {prog}", description=summary, epilog=epilog,
                  formatter_class=argparse.RawDescriptionHelpFormatter)


def positive_int(lo: int = 1):
    def conv(s: str) -> int:
        try:
            v = int(s)
        except ValueError:
            raise argparse.ArgumentTypeError(f"'{s}' is not an integer") from None
        if v < lo:
            raise argparse.ArgumentTypeError(f"{v} is below the minimum {lo}")
        return v
    return conv


def number(s: str) -> float:
    try:
        return float(s)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{s}' is not a number") from None


_DECIMAL = re.compile(r"^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$")


def ranged(lo: float, hi: float, integer: bool):
    """A number flag of the settings table: plain decimal notation, whole when `integer`, within
    lo..hi (inclusive), with `srbnas`'s messages."""
    def conv(s: str):
        v = float(s) if _DECIMAL.match(s.strip()) else math.nan
        if math.isnan(v):
            raise argparse.ArgumentTypeError(f"'{s}' is not a number")
        if integer:
            if not math.isfinite(v) or v != int(v):
                raise argparse.ArgumentTypeError(f"'{s}' is not an integer")
            v = int(v)
        if v < lo:
            raise argparse.ArgumentTypeError(f"{js_str(v)} is below the minimum {js_str(lo)}")
        if v > hi:
            raise argparse.ArgumentTypeError(f"{js_str(v)} is above the maximum {js_str(hi)}")
        return v
    return conv


def str_list(s: str) -> List[str]:
    items = [x.strip() for x in s.split(",")]
    if any(not x for x in items):
        raise argparse.ArgumentTypeError(f"empty item in list '{s}'")
    return items


def int_list(s: str) -> List[int]:
    return [positive_int(2)(x) for x in str_list(s)]


def add_device(p: Parser) -> None:
    p.add_argument("--device", choices=["auto", "cpu", "cuda"], default="auto",
                   help="where to run (default: cuda when available; under torchrun, the local rank's GPU)")


def add_threads(p: Parser) -> None:
    p.add_argument("--workers", type=positive_int(), default=None,
                   help="CPU threads of each process (torch.set_num_threads; data-parallel "
                        "processes come from torchrun --nproc_per_node)")


def set_threads(n: Optional[int]) -> None:
    import torch
    if n:
        torch.set_num_threads(n)


def find_datasets() -> Optional[str]:
    """$SRBNAS_DATASETS, else ../shared/datasets beside the repository (as `srbnas`)."""
    here = os.path.dirname(os.path.abspath(__file__))
    d = os.environ.get("SRBNAS_DATASETS") or os.path.normpath(os.path.join(here, "../../../shared/datasets"))
    return d if os.path.isdir(d) else None


class Progress:
    """A progress line on stderr, at most every `every` seconds (and at the end)."""

    def __init__(self, total: int, label: str, every: float = 2.0, enabled: bool = True):
        self.total, self.label, self.every, self.enabled = total, label, every, enabled
        self.t0 = self.last = time.time()

    def update(self, done: int, text: str = "", force: bool = False) -> None:
        now = time.time()
        if not self.enabled or (not force and now - self.last < self.every and done < self.total):
            return
        self.last = now
        el = now - self.t0
        sys.stderr.write(f"{self.label} {done}/{self.total} {el:.0f}s {text}\n")
        sys.stderr.flush()
