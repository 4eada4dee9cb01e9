"""`make test`: every layer in order of cost, each its own `make <layer>`, timed. The first layer
that fails stops the run. Prints one line per layer and the total, and writes them to
build/reports/layers.json for whoever reads the run afterwards (a rehearsal, a CI summary); each
layer leaves build/reports/junit-<layer>.xml, and the run ends by writing build/reports/summary.md
from them and the figures under build/artifacts (deploykit.cli.summary)."""

import datetime
import json
import subprocess
import time
from dataclasses import asdict, dataclass

from deploykit.cli import summary
from deploykit.foundation import paths
from deploykit.foundation.log import logger

LAYERS = ("lint", "render", "deploykit", "backend", "frontend", "container", "cluster")
REPORT = paths.REPO / "build" / "reports" / "layers.json"


@dataclass(frozen=True)
class LayerResult:
    layer: str
    passed: bool
    seconds: float


def run_layer(layer: str) -> LayerResult:
    logger.info(f"layer {layer}: make {layer}")
    # A JUnit file a previous run left must not stand for this run's.
    summary.junit_file(layer, REPORT.parent).unlink(missing_ok=True)
    started = time.monotonic()
    code = subprocess.call(["make", "--no-print-directory", layer], cwd=paths.REPO)
    return LayerResult(layer, code == 0, round(time.monotonic() - started, 1))


def table(results: list[LayerResult], skipped: tuple[str, ...] = ()) -> str:
    lines = [f"{r.layer:<10} {'passed' if r.passed else 'FAILED':<8} {r.seconds:>8.1f} s" for r in results]
    lines += [f"{layer:<10} {'not run':<8}" for layer in skipped]
    lines.append(f"{'total':<10} {'':<8} {sum(r.seconds for r in results):>8.1f} s")
    return "\n".join(lines)


def write_report(results: list[LayerResult], skipped: tuple[str, ...], started_at: str) -> None:
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(json.dumps({"started_at": started_at, "layers": [asdict(r) for r in results],
                                  "not_run": list(skipped)}, indent=2) + "\n")


def run_layers(layers: tuple[str, ...] = LAYERS) -> bool:
    started_at = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
    results: list[LayerResult] = []
    for layer in layers:
        results.append(run_layer(layer))
        if not results[-1].passed:
            break
    skipped = layers[len(results):]
    write_report(results, skipped, started_at)
    print(f"\nlayer wall times (also in {REPORT.relative_to(paths.REPO)}):\n{table(results, skipped)}", flush=True)
    written = summary.write(REPORT.parent)
    print(f"summary: {written.relative_to(paths.REPO)}", flush=True)
    return all(r.passed for r in results) and not skipped


def read_report(repo=paths.REPO) -> list[LayerResult]:
    """The layers.json a run in repo left (a rehearsal reads its clone's)."""
    data = json.loads((repo / "build" / "reports" / "layers.json").read_text())
    return [LayerResult(**entry) for entry in data["layers"]]
