"""Seeded numbers identical to src/core/rng.ts (mulberry32 + Box-Muller).

The same seed gives the same initial weights, data split and crops as the TypeScript core, so a
run started here and one started in the page draw the same numbers. Mulberry32's state advances
by a constant, so n draws are computed at once with numpy integer arithmetic (mod 2^32), which is
exactly what JavaScript's 32-bit operations do.
"""

import math

import numpy as np

_GOLDEN = 0x9E3779B9
_STEP = 0x6D2B79F5
_M32 = 0xFFFFFFFF


def _imul(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Math.imul on uint32 arrays: the low 32 bits of the product."""
    return (a.astype(np.uint64) * b.astype(np.uint64)) & np.uint64(_M32)


def _mix(states: np.ndarray) -> np.ndarray:
    """Mulberry32's output function for the given states (uint64 holding uint32 values)."""
    t = states
    t = _imul(t ^ (t >> np.uint64(15)), t | np.uint64(1))
    t = t ^ ((t + _imul(t ^ (t >> np.uint64(7)), t | np.uint64(61))) & np.uint64(_M32))
    return (t ^ (t >> np.uint64(14))) & np.uint64(_M32)


class Rng:
    """mulberry32, as src/core/rng.ts: same seed, same sequence."""

    def __init__(self, seed: int):
        s = int(seed) & _M32
        self.state = s if s != 0 else _GOLDEN

    def uniform(self, n: int) -> np.ndarray:
        """The next n values of next() (uniform in [0, 1)) as float64."""
        k = np.arange(1, n + 1, dtype=np.uint64)
        states = (np.uint64(self.state) + k * np.uint64(_STEP)) & np.uint64(_M32)
        self.state = int((self.state + n * _STEP) & _M32)
        return _mix(states).astype(np.float64) / 4294967296.0

    def next(self) -> float:
        return float(self.uniform(1)[0])

    def int(self, n: int) -> int:
        """Integer in [0, n): floor(next() * n)."""
        return int(math.floor(self.next() * n))

    def normal(self) -> float:
        u = 0.0
        while u == 0.0:
            u = self.next()
        v = self.next()
        return math.sqrt(-2 * math.log(u)) * math.cos(2 * math.pi * v)

    def normals(self, n: int, std: float) -> np.ndarray:
        """n draws of normal() * std, rounded to float32 as a Float32Array store does."""
        u = self.uniform(2 * n)
        if n > 0 and np.any(u[0::2] == 0.0):  # 1 in 2^32 per draw: take the exact slow path
            self.state = int((self.state - 2 * n * _STEP) & _M32)
            return np.array([self.normal() * std for _ in range(n)], dtype=np.float32)
        # math.log/cos (the C library), not numpy's vectorised ones, to stay on correctly
        # rounded values like V8's; the float32 rounding hides the rest.
        out = [math.sqrt(-2 * math.log(a)) * math.cos(2 * math.pi * b) * std
               for a, b in zip(u[0::2].tolist(), u[1::2].tolist())]
        return np.array(out, dtype=np.float32)

    def fork(self) -> "Rng":
        return Rng(math.floor(self.next() * 4294967296))
