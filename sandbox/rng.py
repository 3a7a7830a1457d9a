"""Seeded randomness derived from a scenario seed and stable names.

Every random decision in the engine draws from a ``random.Random`` whose seed is
derived with SHA-256 from the scenario seed plus a tuple of stable names
(``rng_for(seed, "customs", day)``). The global ``random`` module, the wall clock
and ``hash()`` (which varies with ``PYTHONHASHSEED``) are never used, so the same
seed and the same commands give the same world in every process.
"""

from __future__ import annotations

import hashlib
import random

__all__ = ["derive_seed", "normal_milli", "rng_for"]


def derive_seed(seed: int, *names: object) -> int:
    """Derive a 64-bit integer seed from ``seed`` and a path of stable names.

    Args:
        seed: The scenario (or market) seed.
        *names: Strings or integers naming the stream, e.g. ``("fx", 12)``.

    Returns:
        A non-negative integer below 2**64.
    """
    text = "\x1f".join([str(seed), *(str(name) for name in names)])
    return int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:8], "big")


def rng_for(seed: int, *names: object) -> random.Random:
    """Return a private ``random.Random`` for the named stream.

    Args:
        seed: The scenario (or market) seed.
        *names: Stable names of the stream.

    Returns:
        A freshly seeded generator; two calls with equal arguments give equal streams.
    """
    return random.Random(derive_seed(seed, *names))


def normal_milli(rng: random.Random) -> int:
    """Draw an approximately standard-normal number in thousandths, using integers only.

    The sum of twelve uniform draws (Irwin-Hall) avoids ``math.log``/``math.cos``, whose
    last bits may differ between C libraries; money-bearing walks must be bit-identical.

    Args:
        rng: The generator to draw from.

    Returns:
        An integer with mean 0 and standard deviation of about 1000.
    """
    return sum(rng.randint(0, 1000) for _ in range(12)) - 6000
