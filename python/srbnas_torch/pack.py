"""The one-file SRBC container of src/core/train/pack.ts: [magic "SRBC"][uint32 LE header length]
[UTF-8 JSON header, space-padded to 4 bytes][float32 data]. Training checkpoints use it (so the
CLI, the page and this package resume each other's runs), and so do the tfjs step dumps."""

import json
import struct
from typing import Any, Dict, Tuple

import numpy as np

MAGIC = 0x43425253  # "SRBC" little-endian


def pack(header: Any, data: bytes) -> bytes:
    js = json.dumps(header, separators=(",", ":")).encode("utf8")
    hlen = (len(js) + 3) // 4 * 4
    return struct.pack("<II", MAGIC, hlen) + js + b" " * (hlen - len(js)) + data


def unpack(buf: bytes, what: str = "checkpoint") -> Tuple[Any, bytes]:
    if len(buf) < 8:
        raise ValueError(f"{what}: truncated file")
    magic, hlen = struct.unpack_from("<II", buf, 0)
    if magic != MAGIC:
        raise ValueError(f"{what}: not an srbnas checkpoint")
    if 8 + hlen > len(buf):
        raise ValueError(f"{what}: truncated header")
    return json.loads(buf[8:8 + hlen].decode("utf8")), buf[8 + hlen:]


def read_tensors(path: str) -> Tuple[Dict, Dict[str, np.ndarray]]:
    """(header, name → float32 array) of an SRBC file whose header lists its `tensors`."""
    with open(path, "rb") as f:
        header, data = unpack(f.read(), path)
    from .model_format import decode_weights
    return header, decode_weights(header["tensors"], data, path)
