"""Model folders: model.json + weights.bin (src/core/model/format.ts, weights.ts, cli/modelFiles.ts).

model.json: {format: "srbnas-model", version: 1, name, architecture, genotype?, counts, training?,
weightsManifest: [{paths: ["weights.bin"], weights: [{name, shape, dtype: "float32"}]}]}; the .bin
holds the latent float32 values, little-endian, in manifest order. Names and shapes are those of
Params (tfjs filter layout), so nothing is converted on the way in or out.
"""

import json
import os
from typing import Dict, Optional, Tuple

import numpy as np

from .arch import check_arch_config, count_model
from .genotype import GenotypeError, validate_genotype_json
from .network import SRNetwork
from .search_space import PRIMITIVES

WEIGHTS_FILE = "weights.bin"


def validate_model_json(x) -> Dict:
    if not isinstance(x, dict):
        raise ValueError("model.json: not a JSON object")
    if x.get("format") != "srbnas-model":
        raise ValueError('model.json: format must be "srbnas-model"')
    if x.get("version") != 1:
        raise ValueError(f"model.json: unsupported version {x.get('version')}")
    arch = x.get("architecture")
    if not isinstance(arch, dict):
        raise ValueError("model.json: architecture must be an object")
    check_arch_config(arch)
    if arch["arch"] == "srbnas":
        g = arch.get("genotype") if isinstance(arch.get("genotype"), dict) else {}
        try:
            validate_genotype_json({"format": "srbnas-genotype", "version": 1,
                                    "scale": arch["scale"], "searchSpace": list(PRIMITIVES),
                                    "normal": g.get("normal"),
                                    "normal_concat": g.get("normal_concat")})
        except GenotypeError as e:
            raise ValueError(f"model.json: architecture.genotype.{e}") from None
    m = x.get("weightsManifest")
    if (not isinstance(m, list) or len(m) != 1 or not isinstance(m[0], dict)
            or not isinstance(m[0].get("weights"), list)):
        raise ValueError("model.json: weightsManifest must hold one group with a weights list")
    paths = m[0].get("paths")
    if not isinstance(paths, list) or len(paths) != 1:
        raise ValueError("model.json: weightsManifest[0].paths must name one .bin file")
    return x


def _entry_bytes(s) -> int:
    n = int(np.prod(s["shape"]))
    if s.get("dtype") == "float32":
        return 4 * n
    if s.get("dtype") == "bit":
        return (n + 7) // 8
    raise ValueError(f"{s.get('name')} has dtype {s.get('dtype')}")


def decode_weights(specs, data: bytes, what: str = "weights") -> Dict[str, np.ndarray]:
    """name → float32 array; 'bit' entries (packed models) become ±1 (bit i of the entry is bit
    i mod 8, least significant first, of byte i // 8; 1 = +1)."""
    try:
        need = sum(_entry_bytes(s) for s in specs)
    except ValueError as e:
        raise ValueError(f"{what}: {e}") from None
    if len(data) != need:
        raise ValueError(f"{what}: {len(data)} bytes, but the manifest describes {need}")
    out, off = {}, 0
    for s in specs:
        n, size = int(np.prod(s["shape"])), _entry_bytes(s)
        chunk = np.frombuffer(data, dtype=np.uint8, count=size, offset=off)
        if s["dtype"] == "float32":
            v = chunk.view("<f4").astype(np.float32)
        else:
            v = np.unpackbits(chunk, bitorder="little")[:n].astype(np.float32) * 2 - 1
        out[s["name"]] = v.reshape(s["shape"])
        off += size
    return out


def encode_weights(values: Dict[str, np.ndarray]) -> Tuple[list, bytes]:
    specs, parts = [], []
    for name, v in values.items():
        specs.append({"name": name, "shape": list(v.shape), "dtype": "float32"})
        parts.append(np.ascontiguousarray(v, dtype="<f4").tobytes())
    return specs, b"".join(parts)


def model_json_path(p: str) -> str:
    return os.path.join(p, "model.json") if os.path.isdir(p) else p


def is_model_path(p: str) -> bool:
    return os.path.isfile(model_json_path(p))


def read_model_dir(p: str, device="cpu") -> Tuple[SRNetwork, Dict]:
    """Build the network a model folder describes and load its weights; errors name the file."""
    file = model_json_path(p)
    try:
        with open(file, encoding="utf8") as f:
            raw = json.load(f)
    except FileNotFoundError:
        raise ValueError(f"{file}: no such model (model.json missing)") from None
    except (OSError, ValueError) as e:
        raise ValueError(f"{file}: cannot read model.json ({e})") from None
    try:
        js = validate_model_json(raw)
    except ValueError as e:
        raise ValueError(f"{file}: {e}") from None
    bin_name = js["weightsManifest"][0]["paths"][0]
    if not isinstance(bin_name, str) or ".." in bin_name or os.path.isabs(bin_name):
        raise ValueError(f"{file}: weightsManifest[0].paths[0] must be a file name beside model.json")
    bin_path = os.path.join(os.path.dirname(file), bin_name)
    try:
        with open(bin_path, "rb") as f:
            data = f.read()
    except OSError:
        raise ValueError(f"{bin_path}: weights file missing") from None
    encoding = js.get("encoding", "float32")
    if encoding not in ("float32", "packed-1bit"):
        raise ValueError(f"{file}: unknown encoding {encoding!r}")
    net = SRNetwork(js["architecture"], packed=encoding == "packed-1bit")
    try:
        net.params.load_values(decode_weights(js["weightsManifest"][0]["weights"], data, bin_name), bin_name)
    except ValueError as e:
        raise ValueError(f"{file}: {e}") from None
    return net.to(device), js


def write_atomic(path: str, data) -> None:
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    tmp = f"{path}.tmp-{os.getpid()}"
    with open(tmp, "wb" if isinstance(data, bytes) else "w", **({} if isinstance(data, bytes) else {"encoding": "utf8"})) as f:
        f.write(data)
    os.replace(tmp, path)


def serialize_model(net: SRNetwork, name: str, genotype: Optional[Dict] = None,
                    training: Optional[Dict] = None) -> Tuple[Dict, bytes]:
    specs, data = encode_weights(net.params.to_numpy())
    js = {"format": "srbnas-model", "version": 1, "name": name, "architecture": net.config,
          "counts": count_model(net.config),
          "weightsManifest": [{"paths": [WEIGHTS_FILE], "weights": specs}]}
    if genotype is not None:
        js["genotype"] = genotype
    if training is not None:
        js["training"] = training
    return js, data


def write_model_dir(out: str, js: Dict, data: bytes) -> None:
    """Weights first, model.json last (a reader never sees a json without its weights)."""
    write_atomic(os.path.join(out, js["weightsManifest"][0]["paths"][0]), data)
    write_atomic(os.path.join(out, "model.json"), json.dumps(js, indent=1) + "\n")
