"""Summaries of repeated measurements: min, median, p95 and max, the same way for every figure.

Percentiles are deploykit.foundation.percentiles' nearest-rank ones.
"""

import statistics
from dataclasses import dataclass

from deploykit.foundation.percentiles import percentile


@dataclass(frozen=True)
class Spread:
    count: int
    min: float
    median: float
    p95: float
    max: float

    @classmethod
    def of(cls, values: list[float]) -> "Spread":
        if not values:
            raise ValueError("a spread of no values")
        return cls(len(values), min(values), statistics.median(values), percentile(values, 0.95), max(values))

    def describe(self, unit: str, digits: int = 2) -> str:
        """e.g. "min 1.09, median 1.15, p95 1.20, max 1.20 s (n=10)"."""
        def show(value: float) -> str:
            return f"{value:.{digits}f}"
        return (f"min {show(self.min)}, median {show(self.median)}, p95 {show(self.p95)}, "
                f"max {show(self.max)} {unit} (n={self.count})")

    def as_dict(self, digits: int = 3) -> dict:
        return {"count": self.count, **{key: round(getattr(self, key), digits)
                                        for key in ("min", "median", "p95", "max")}}
