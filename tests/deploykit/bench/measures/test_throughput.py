"""Resource figures under load: Kubernetes quantities read as numbers, CPU from two readings of
the pod's cumulative CPU time."""

import pytest

from deploykit.bench.measures.throughput import (
    MIB,
    Sample,
    cpu_millicores,
    parse_cpu_millicores,
    parse_memory_bytes,
    usage_figures,
)


@pytest.mark.parametrize(("quantity", "millicores"), [("500m", 500), ("1", 1000), ("0.5", 500), ("2", 2000)],
                         ids=["millicores", "one_core", "half_core", "two_cores"])
def test_parse_cpu_millicores(quantity, millicores):
    assert parse_cpu_millicores(quantity) == millicores


@pytest.mark.parametrize(("quantity", "size"), [("256Mi", 256 * 1024**2), ("1Gi", 1024**3), ("64M", 64_000_000),
                                                ("1000", 1000)], ids=["mebibytes", "gibibytes", "megabytes", "bytes"])
def test_parse_memory_bytes(quantity, size):
    assert parse_memory_bytes(quantity) == size


def test_cpu_millicores_is_cpu_time_per_second():
    # 0.25 s of CPU over 2 s of wall time is an eighth of a core
    assert cpu_millicores(Sample(100.0, 1_000_000_000, 0), Sample(102.0, 1_250_000_000, 0)) == pytest.approx(125)


def test_usage_figures_set_each_reading_against_the_pods_limit():
    idle = (Sample(0.0, 0, 60 * MIB), Sample(10.0, 20_000_000, 64 * MIB))
    loaded = [Sample(20.0, 1_000_000_000, 70 * MIB), Sample(22.0, 2_000_000_000, 80 * MIB),
              Sample(24.0, 3_000_000_000, 75 * MIB)]
    found = {f.key: f for f in usage_figures(idle, loaded, {"cpu": "500m", "memory": "256Mi"})}
    assert found["load.cpu_idle"].value == pytest.approx(2)
    assert found["load.cpu_loaded"].value == pytest.approx(500)
    assert found["load.cpu_loaded"].note == "100% of the pod's 500 millicores limit"
    assert found["load.memory_idle"].value == 64
    assert found["load.memory_loaded"].value == 80
    assert found["load.memory_loaded"].note == "31% of the pod's 256 MiB limit"


def test_usage_figures_without_limits_say_so():
    samples = [Sample(0.0, 0, MIB), Sample(1.0, 1_000_000, MIB)]
    assert {f.note for f in usage_figures((samples[0], samples[1]), samples, {})} == {"the pod has no limit"}
