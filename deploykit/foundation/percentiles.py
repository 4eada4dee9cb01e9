"""Percentiles the same way for every figure deploykit reports (tests, traffic, bench).

The nearest-rank method: the p-th percentile is a value that was measured, never an
interpolation between two, so "p95 of 10 starts" is simply the slowest of them.
"""

import math


def percentile(values: list[float], fraction: float) -> float:
    """The nearest-rank percentile (fraction in (0, 1]) of a non-empty list."""
    if not values:
        raise ValueError("a percentile of no values")
    if not 0 < fraction <= 1:
        raise ValueError(f"percentile fraction {fraction} is outside (0, 1]")
    ordered = sorted(values)
    return ordered[math.ceil(fraction * len(ordered)) - 1]
