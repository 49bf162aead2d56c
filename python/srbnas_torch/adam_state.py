"""torch Adam state as named float32 arrays and back: how checkpoints store it (no pickle).

Per parameter: m (exp_avg) and v (exp_avg_sq); one step count for the whole optimiser (all
parameters step together here, as in the TS core's Adam)."""

from typing import Dict, Iterable, Tuple

import numpy as np
import torch


def adam_step(opt: torch.optim.Optimizer, params) -> int:
    for p in params:
        st = opt.state.get(p, {})
        if "step" in st:
            return int(st["step"])
    return 0


def adam_moments(opt: torch.optim.Optimizer, named: Iterable[Tuple[str, torch.Tensor]]) -> Dict[str, Tuple[np.ndarray, np.ndarray]]:
    out = {}
    for name, p in named:
        st = opt.state.get(p, {})
        zeros = np.zeros(p.shape, np.float32)
        out[name] = (st["exp_avg"].detach().cpu().numpy() if "exp_avg" in st else zeros,
                     st["exp_avg_sq"].detach().cpu().numpy() if "exp_avg_sq" in st else zeros)
    return out


def set_adam_state(opt: torch.optim.Optimizer, named: Iterable[Tuple[str, torch.Tensor]], step: int,
                   moments: Dict[str, Tuple[np.ndarray, np.ndarray]]) -> None:
    if step <= 0:
        return
    for name, p in named:
        m, v = moments[name]
        opt.state[p] = {"step": torch.tensor(float(step)),
                        "exp_avg": torch.from_numpy(np.array(m, np.float32)).to(p.device),
                        "exp_avg_sq": torch.from_numpy(np.array(v, np.float32)).to(p.device)}
