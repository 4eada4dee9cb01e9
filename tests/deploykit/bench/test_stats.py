"""Spreads of repeated measurements: nearest-rank percentiles, so every figure is a value that was
actually measured."""

import pytest

from deploykit.bench.stats import Spread
from deploykit.foundation.percentiles import percentile


def test_percentile_p95_of_ten_runs_is_the_slowest():
    assert percentile([float(n) for n in range(1, 11)], 0.95) == 10.0


def test_percentile_median_of_an_even_count_is_the_lower_middle():
    assert percentile([4.0, 1.0, 3.0, 2.0], 0.5) == 2.0


def test_percentile_p99_of_a_thousand_values_leaves_out_the_top_ten():
    assert percentile([float(n) for n in range(1, 1001)], 0.99) == 990.0


@pytest.mark.parametrize("fraction", [0, 1.5, -0.1], ids=["zero", "above_one", "negative"])
def test_percentile_rejects_a_fraction_outside_0_1(fraction):
    with pytest.raises(ValueError, match="outside"):
        percentile([1.0], fraction)


def test_percentile_of_no_values_is_an_error():
    with pytest.raises(ValueError, match="no values"):
        percentile([], 0.5)


def test_spread_of_values():
    spread = Spread.of([1.2, 1.0, 3.0, 1.1])
    assert (spread.count, spread.min, spread.median, spread.p95, spread.max) == (4, 1.0, 1.15, 3.0, 3.0)


def test_spread_describes_itself_with_its_unit_and_count():
    assert Spread.of([1.0, 2.0]).describe("s") == "min 1.00, median 1.50, p95 2.00, max 2.00 s (n=2)"


def test_spread_as_dict_rounds():
    assert Spread.of([1 / 3]).as_dict() == {"count": 1, "min": 0.333, "median": 0.333, "p95": 0.333, "max": 0.333}
