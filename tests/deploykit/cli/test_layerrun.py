"""`make test`'s layer table: one line per layer run, the ones not run, and the total."""

from deploykit.cli.layerrun import LayerResult, table


def test_the_table_names_each_layer_its_verdict_and_the_total():
    results = [LayerResult("render", True, 16.0), LayerResult("backend", False, 56.4)]

    lines = table(results, skipped=("frontend",)).splitlines()

    assert lines[0].split() == ["render", "passed", "16.0", "s"]
    assert lines[1].split() == ["backend", "FAILED", "56.4", "s"]
    assert lines[2].split() == ["frontend", "not", "run"]
    assert lines[3].split() == ["total", "72.4", "s"]
