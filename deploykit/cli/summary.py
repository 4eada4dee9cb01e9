"""The run's one Markdown summary, build/reports/summary.md, for people and CI job summaries: per
layer its verdict, passed/failed/skipped test cases (from its JUnit file) and wall time (from
layers.json); the headline figures the tests recorded under build/artifacts (image sizes, container
start, pod start, failed requests and p99 latency per rollout scenario), each beside its limit and
linked to its artifact; and, for a failing layer, its failing tests and where its diagnostics are.

Links are relative to summary.md by default; a CI job that uploaded the reports and the artifacts
passes their URLs, and every link then goes to the upload that holds the file it names.
A figure measured before this run began (an artifact a previous run left) is marked so."""

import datetime
import json
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from deploykit.foundation import junit, limits, paths
from deploykit.foundation.artifacts import DIAGNOSTICS

REPORTS = paths.REPO / "build" / "reports"
SUMMARY = REPORTS / "summary.md"
MAX_FAILURES_LISTED = 20
# Scenarios whose failed requests are a figure, not a verdict (the only pod deleted: an outage is expected).
UNJUDGED_SCENARIOS = {"only-pod-deletion": "not judged: the only pod was deleted"}


def junit_file(layer: str, reports: Path = REPORTS) -> Path:
    return reports / f"junit-{layer}.xml"


@dataclass(frozen=True)
class Links:
    """Where a link to a report (build/reports/...) or an artifact (build/artifacts/...) points."""
    reports_url: str | None = None
    artifacts_url: str | None = None

    def report(self, name: str) -> str:
        return f"[{name}]({self.reports_url or name})"

    def artifact(self, relative: str) -> str:
        return f"[{relative}]({self.artifacts_url or '../artifacts/' + relative})"


@dataclass(frozen=True)
class Layer:
    name: str
    verdict: str  # passed | FAILED | not run
    seconds: float | None = None
    cases: tuple[junit.Case, ...] = ()
    has_junit: bool = False

    def count(self, outcome: str) -> int:
        return sum(case.outcome == outcome for case in self.cases)


@dataclass
class Figure:
    what: str
    value: str
    limit: str
    met: str  # yes | NO | a reason it is not judged
    artifact: str  # relative to build/artifacts
    stale: bool = False


@dataclass
class Run:
    layers: list[Layer]
    started_at: datetime.datetime | None = None
    figures: list[Figure] = field(default_factory=list)
    rollouts: list[Figure] = field(default_factory=list)
    diagnostics: list[str] = field(default_factory=list)  # relative to build/artifacts

    @property
    def passed(self) -> bool:
        return all(layer.verdict == "passed" for layer in self.layers)


def read_layers(reports: Path = REPORTS) -> tuple[list[Layer], datetime.datetime | None]:
    """The layers of the last `make test` (layers.json), each with its JUnit cases when it left a file."""
    report = reports / "layers.json"
    data = json.loads(report.read_text()) if report.is_file() else {"layers": [], "not_run": []}
    started = datetime.datetime.fromisoformat(data["started_at"]) if data.get("started_at") else None
    layers = []
    for entry in data["layers"]:
        path = junit_file(entry["layer"], reports)
        try:
            cases, readable = (tuple(junit.read(path)), True) if path.is_file() else ((), False)
        except ET.ParseError:  # a layer killed while pytest wrote it
            cases, readable = (), False
        layers.append(Layer(entry["layer"], "passed" if entry["passed"] else "FAILED", entry["seconds"], cases,
                            readable))
    layers += [Layer(name, "not run") for name in data.get("not_run", [])]
    return layers, started


def _load(artifacts: Path, name: str) -> dict:
    path = artifacts / name
    try:
        return json.loads(path.read_text()) if path.is_file() else {}
    except json.JSONDecodeError:
        return {}


def _measured_at(figure: dict, path: Path) -> datetime.datetime:
    if figure.get("measured_at"):
        at = datetime.datetime.fromisoformat(figure["measured_at"])
        return at if at.tzinfo else at.replace(tzinfo=datetime.UTC)
    return datetime.datetime.fromtimestamp(path.stat().st_mtime, datetime.UTC)


def _number(value) -> str:
    return "–" if value is None else f"{value:g}"


def _met(value: bool | None) -> str:
    return "–" if value is None else ("yes" if value else "NO")


def _bound(bound, unit: str, target=None) -> str:
    if bound is None:
        return f"target ≤ {target:g} {unit}" if target is not None else "–"
    return f"< {bound:g} {unit}" + (f" (target ≤ {target:g})" if target is not None else "")


def headline_figures(artifacts: Path = paths.ARTIFACTS,
                     started: datetime.datetime | None = None) -> tuple[list[Figure], list[Figure]]:
    """(image sizes, container starts, pod starts), and the rollout scenarios, from build/artifacts."""
    figures: list[Figure] = []

    def add(figure: Figure, entry: dict, name: str) -> Figure:
        figure.stale = started is not None and _measured_at(entry, artifacts / name) < started
        figures.append(figure)
        return figure

    for component, entry in sorted(_load(artifacts, "image-size.json").items()):
        add(Figure(f"{component} image size", f"{entry['value']:.1f} {entry['unit']}",
                   _bound(entry.get("bound"), entry["unit"], entry.get("target")), _met(entry.get("met_bound")),
                   "image-size.json"), entry, "image-size.json")
    for component, entry in sorted(_load(artifacts, "container-startup.json").items()):
        runs = len(entry.get("runs", [])) or 1
        add(Figure(f"{component} container start to healthy (slowest of {runs})",
                   f"{entry['value']:.2f} {entry['unit']}",
                   _bound(entry.get("bound"), entry["unit"], entry.get("target")), _met(entry.get("met_bound")),
                   "container-startup.json"), entry, "container-startup.json")
    for when, entry in sorted(_load(artifacts, "pod-startup.json").items()):
        add(Figure(f"pod start, {when} (max of {entry.get('pods', '?')} pods; p95 {_number(entry.get('p95_s'))} s)",
                   f"{_number(entry.get('max_s'))} s", _bound(entry.get("bound_s"), "s", entry.get("target_s")),
                   _met(entry.get("met_bound")), "pod-startup.json"), entry, "pod-startup.json")

    rollouts: list[Figure] = []
    budget = limits.ROLLOUT_FAILED_REQUESTS
    for path in sorted(artifacts.glob("rollout-*.json")):
        traffic = _load(artifacts, path.name).get("traffic")
        if not traffic:
            continue
        scenario = path.stem.removeprefix("rollout-")
        failed = traffic.get("failed", 0)
        p99 = traffic.get("latency_p99_ms")
        met = UNJUDGED_SCENARIOS.get(scenario) or _met(budget.met_bound(failed))
        figure = Figure(scenario, f"{failed} of {traffic.get('requests', '?')}",
                        "–" if p99 is None else f"{p99:g} ms", met, path.name)
        figure.stale = started is not None and _measured_at(traffic, path) < started
        rollouts.append(figure)
    return figures, rollouts


def diagnostics_reports(artifacts: Path = paths.ARTIFACTS, started: datetime.datetime | None = None) -> list[str]:
    """The diagnostics reports this run wrote (build/artifacts/diagnostics/*.txt), relative to artifacts."""
    folder = artifacts / DIAGNOSTICS
    files = sorted(folder.glob("*.txt")) if folder.is_dir() else []
    return [f"{DIAGNOSTICS}/{p.name}" for p in files
            if not started or datetime.datetime.fromtimestamp(p.stat().st_mtime, datetime.UTC) >= started]


def collect(reports: Path = REPORTS, artifacts: Path = paths.ARTIFACTS) -> Run:
    layers, started = read_layers(reports)
    figures, rollouts = headline_figures(artifacts, started)
    return Run(layers, started, figures, rollouts, diagnostics_reports(artifacts, started))


def _duration(seconds: float) -> str:
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes} min {rest} s" if minutes else f"{seconds:.1f} s"


def _row(cells: Iterable) -> str:
    return "| " + " | ".join(str(c).replace("|", "\\|").replace("\n", " ") for c in cells) + " |"


def _layer_table(run: Run, links: Links) -> list[str]:
    lines = ["| layer | verdict | passed | failed | skipped | wall time | JUnit |", "|---|---|--:|--:|--:|--:|---|"]
    for layer in run.layers:
        if layer.verdict == "not run":
            lines.append(_row([layer.name, "not run", "", "", "", "", ""]))
            continue
        counts = [layer.count(o) for o in junit.OUTCOMES] if layer.has_junit else ["–", "–", "–"]
        report = links.report(junit_file(layer.name).name) if layer.has_junit else "none written"
        lines.append(_row([layer.name, f"**{layer.verdict}**" if layer.verdict == "FAILED" else layer.verdict,
                           *counts, _duration(layer.seconds or 0.0), report]))
    total = sum(layer.seconds or 0.0 for layer in run.layers)
    lines.append(_row(["total", "", *(sum(layer.count(o) for layer in run.layers) for o in junit.OUTCOMES),
                       _duration(total), ""]))
    return lines


def _figure_tables(run: Run, links: Links) -> list[str]:
    def stale(figure: Figure) -> str:
        return " (from an earlier run)" if figure.stale else ""

    lines = ["## Headline figures", ""]
    if not run.figures and not run.rollouts:
        return lines + ["None recorded: the container and cluster layers write them (build/artifacts/*.json).", ""]
    if run.figures:
        lines += ["| figure | value | limit | within | artifact |", "|---|--:|---|---|---|"]
        lines += [_row([f.what + stale(f), f.value, f.limit, f.met, links.artifact(f.artifact)]) for f in run.figures]
        lines.append("")
    if run.rollouts:
        budget = limits.ROLLOUT_FAILED_REQUESTS
        lines += [f"Traffic during each rollout scenario (failed requests: limit < {budget.bound:g}, "
                  f"target {budget.target:g}):", "",
                  "| scenario | failed requests | p99 latency | within | artifact |", "|---|--:|--:|---|---|"]
        lines += [_row([f.what + stale(f), f.value, f.limit, f.met, links.artifact(f.artifact)]) for f in run.rollouts]
        lines.append("")
    return lines


def _failures(run: Run, links: Links) -> list[str]:
    lines: list[str] = []
    for layer in (layer for layer in run.layers if layer.verdict == "FAILED"):
        lines += [f"## {layer.name} failed", ""]
        failing = [case for case in layer.cases if case.outcome == "failed"]
        for case in failing[:MAX_FAILURES_LISTED]:
            lines.append(f"- `{case.id}`" + (f": {case.message}" if case.message else ""))
        if len(failing) > MAX_FAILURES_LISTED:
            more = len(failing) - MAX_FAILURES_LISTED
            lines.append(f"- … and {more} more in {links.report(junit_file(layer.name).name)}")
        if not failing:
            lines.append(f"No failing test case in {junit_file(layer.name).name}: the layer failed outside its "
                         f"tests (a build, an install, or for frontend ESLint or tsc); its output is in the log.")
        lines.append("")
        if layer.name == "cluster":
            if run.diagnostics:
                lines.append("Diagnostics report (pods, events, failing pods' logs): "
                             + ", ".join(links.artifact(d) for d in run.diagnostics))
            else:
                lines.append("No diagnostics report was written; `python -m deploykit diagnose --namespace <ns>` "
                             "reports a release's pods, events and logs.")
        else:
            lines.append(f"Diagnostics: each failure's message and captured output are in "
                         f"{links.report(junit_file(layer.name).name)}.")
        lines.append("")
    return lines


def render(run: Run, links: Links = Links()) -> str:
    verdict = "passed" if run.passed else "FAILED"
    lines = [f"# make test: {verdict}", ""]
    if run.started_at:
        lines += [f"Started {run.started_at.isoformat(timespec='seconds')}.", ""]
    lines += _layer_table(run, links) + [""]
    lines += _failures(run, links)
    lines += _figure_tables(run, links)
    return "\n".join(lines).rstrip() + "\n"


def write(reports: Path = REPORTS, artifacts: Path = paths.ARTIFACTS, links: Links = Links(),
          output: Path | None = None) -> Path:
    """Render the summary of the run whose reports and artifacts are given; returns the file written."""
    output = output or reports / SUMMARY.name
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(render(collect(reports, artifacts), links))
    return output
