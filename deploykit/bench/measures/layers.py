"""Wall time of each test layer, run here as a subprocess exactly as `make` runs it (`pytest -m
<layer>`), with the outcome from its JUnit XML; and the render layer against a baseline from the
same run: a plain `helm template` of the same chart with each of its values files.

The baseline is what makes the render layer's figure travel: on a faster machine both shrink, and
the ratio says what our checks cost on top of rendering.
"""

import statistics
import sys
import time
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass
from pathlib import Path

from deploykit.bench.figure import Figure
from deploykit.foundation import paths
from deploykit.foundation.limits import RENDER_LAYER_S
from deploykit.foundation.run import run
from deploykit.tools.helm import Helm

GROUP = "Test layers"
BASELINE_REPEATS = 3  # a helm process takes a tenth of a second; the median of three steadies it
# Generous: a bound on a hung run, not a target. The cluster layer on kind's three nodes took
# 850 s warm on 2 cores (2026-12-04), beside creating its cluster.
LAYER_TIMEOUT_S = {"render": 300, "deploykit": 300, "container": 900, "cluster": 2400}
LAYER_NAMES = {marker: f"{marker} layer" for marker in LAYER_TIMEOUT_S}


@dataclass(frozen=True)
class LayerRun:
    marker: str
    seconds: float
    outcome: dict  # tests, failures, errors, skipped (from the JUnit XML)

    @property
    def passed(self) -> bool:
        return self.outcome["tests"] > 0 and self.outcome["failures"] == self.outcome["errors"] == 0

    def describe(self) -> str:
        o = self.outcome
        return (f"{o['tests'] - o['failures'] - o['errors'] - o['skipped']} passed, {o['failures']} failed, "
                f"{o['errors']} errors, {o['skipped']} skipped")


def junit_outcome(xml_text: str) -> dict:
    """Totals of a JUnit XML report (pytest writes <testsuites><testsuite tests=.. failures=..>)."""
    root = ElementTree.fromstring(xml_text)
    suites = [root] if root.tag == "testsuite" else root.findall("testsuite")
    return {key: sum(int(suite.get(key, 0)) for suite in suites) for key in ("tests", "failures", "errors", "skipped")}


def run_layer(marker: str, logs: Path, extra_args: tuple = ()) -> LayerRun:
    """`pytest -m marker`, timed; its output goes to logs/<marker>-layer.log."""
    report = logs / f"{marker}-layer.xml"
    argv = [sys.executable, "-m", "pytest", "-m", marker, "-q", "-p", "no:cacheprovider",
            f"--junitxml={report}", *extra_args]
    started = time.perf_counter()
    result = run(argv, check=False, cwd=paths.REPO, timeout=LAYER_TIMEOUT_S[marker])
    seconds = time.perf_counter() - started
    (logs / f"{marker}-layer.log").write_text(result.stdout + result.stderr)
    return LayerRun(marker, seconds, junit_outcome(report.read_text()))


def helm_template_seconds(helm: Helm, chart: Path = paths.CHART) -> float:
    """Median over BASELINE_REPEATS of: one `helm template` per values file of the chart, in turn."""
    values_files = sorted(chart.glob("values*.yaml"))
    totals = []
    for _ in range(BASELINE_REPEATS):
        started = time.perf_counter()
        for values in values_files:
            helm.template(chart, "bench", values=[values])
        totals.append(time.perf_counter() - started)
    return statistics.median(totals)


def layer_figure(layer: LayerRun, budget=None) -> Figure:
    how = f"`pytest -m {layer.marker}` as a subprocess, wall time"
    note = layer.describe() + ("" if layer.passed else " (the layer did not pass)")
    return Figure(f"layer.{layer.marker}", GROUP, f"{LAYER_NAMES[layer.marker]} wall time", layer.seconds, "s", how,
                  budget, note=note, digits=1, extra=layer.outcome)


def render_figures(logs: Path) -> list[Figure]:
    render = run_layer("render", logs)
    own = run_layer("deploykit", logs)
    baseline = helm_template_seconds(Helm())
    count = len(list(paths.CHART.glob("values*.yaml")))
    return [
        layer_figure(render, RENDER_LAYER_S),
        layer_figure(own),
        Figure("layer.render_baseline", GROUP, f"baseline: plain `helm template`, {count} values files", baseline,
               "s", f"one helm process per values file, median of {BASELINE_REPEATS} rounds"),
        Figure("layer.render_over_baseline", GROUP, "render layer over the baseline", render.seconds / baseline, "x",
               "ratio of the two wall times above", digits=1),
    ]
