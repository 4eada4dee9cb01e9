"""docs/BENCHMARKS.md and build/artifacts/bench.json from one bench run: the machine, every figure
beside its target and its limit (marked met or not), how each was measured, the
rollouts' phases and pictures. Both files are rewritten whole; nothing in them is typed by hand."""

import json
from dataclasses import dataclass, field
from pathlib import Path

from deploykit.bench.figure import Figure, bound_cell, target_cell

# Report sections, in reading order; a group not listed here is appended after them.
GROUP_ORDER = ("Images", "Image builds", "Container start", "Test layers", "Install", "Rolling update", "Rollback",
               "Backend under load")
PHASE_COLUMNS = {"requests": "requests", "failed": "failed", "error_rate": "error rate",
                 "longest_gap_s": "longest gap (s)", "latency_p50_ms": "p50 (ms)", "latency_p99_ms": "p99 (ms)"}


@dataclass
class BenchRun:
    started: str  # ISO 8601, UTC
    wall_s: float
    load_average: dict  # "start"/"end" -> [1, 5, 15 minute]
    machine: dict
    figures: list[Figure]
    largest_files: dict = field(default_factory=dict)  # component -> [(path, bytes)]
    changes: dict = field(default_factory=dict)  # group ("Rolling update") -> {phases, versions, picture}
    not_measured: dict = field(default_factory=dict)  # group -> why

    def as_dict(self) -> dict:
        return {"started": self.started, "wall_s": round(self.wall_s, 1), "load_average": self.load_average,
                "machine": self.machine, "figures": [f.as_dict() for f in self.figures],
                "largest_files": self.largest_files,
                "changes": {group: {**change, "picture": str(change["picture"])}
                            for group, change in self.changes.items()},
                "not_measured": self.not_measured}


def cell(text: str) -> str:
    """Text safe inside a table cell: a bare | would end the cell (even inside backticks)."""
    return text.replace("|", "\\|")


def figure_table(figures: list[Figure]) -> list[str]:
    rows = ["| figure | measured | our target | limit | how it was measured |",
            "|---|---|---|---|---|"]
    for figure in figures:
        measured = f"**{figure.shown_value()}**" + (f"<br>{figure.note}" if figure.note else "")
        cells = (figure.name, measured, target_cell(figure), bound_cell(figure), figure.how)
        rows.append("| " + " | ".join(cell(text) for text in cells) + " |")
    return rows


def phase_table(phases: dict) -> list[str]:
    rows = ["| traffic | " + " | ".join(PHASE_COLUMNS.values()) + " |", "|---" * (len(PHASE_COLUMNS) + 1) + "|"]
    for phase, numbers in phases.items():
        cells = [_number(numbers.get(key), percent=key == "error_rate") for key in PHASE_COLUMNS]
        rows.append(f"| {phase} | " + " | ".join(cells) + " |")
    return rows


def _number(value, percent: bool = False) -> str:
    if value is None:
        return "—"
    return f"{value:.2%}" if percent else f"{value:g}"


def summary_lines(figures: list[Figure]) -> list[str]:
    """How many targets and limits were met, and which were not."""
    targets = [f for f in figures if f.met_target is not None]
    bounds = [f for f in figures if f.met_bound is not None]
    missed_targets = [f"{f.group}: {f.name}" for f in targets if not f.met_target]
    missed_bounds = [f"{f.group}: {f.name}" for f in bounds if not f.met_bound]
    lines = [f"- Limits: {len(bounds) - len(missed_bounds)} of {len(bounds)} met."
             + (f" **Not met:** {'; '.join(missed_bounds)}." if missed_bounds else ""),
             f"- Our targets: {len(targets) - len(missed_targets)} of {len(targets)} met."
             + (f" Not met: {'; '.join(missed_targets)}." if missed_targets else "")]
    return lines


def machine_lines(run: BenchRun) -> list[str]:
    m, load = run.machine, run.load_average
    bases = "<br>".join(f"{role}: `{used['image']}` ({used['kind']})" for role, used in m["bases"].items())
    cluster = m.get("cluster") or {}
    kubernetes = (f"{cluster['kubernetes']}: {cluster['provider']}, {cluster['nodes']} node(s), kubelet "
                  f"{cluster['kubelet']}, {cluster['container_runtime']}" if cluster else "not reached")
    rows = [("date", f"{run.started} (UTC)"), ("CPU", f"{m['cores']} cores, {m['cpu']}"),
            ("memory", f"{m['memory_gib']} GiB"), ("OS and kernel", f"{m['os']}, Linux {m['kernel']}"),
            ("Docker", m["docker"]), ("Kubernetes", kubernetes), ("helm", m["helm"]), ("Python", m["python"]),
            ("base images", bases),
            ("load average (1, 5, 15 min)", f"{_loads(load['start'])} at the start, {_loads(load['end'])} at the end"),
            ("run time", f"{run.wall_s / 60:.1f} min")]
    return ["| | |", "|---|---|", *(f"| {key} | {value} |" for key, value in rows)]


def _loads(values: list[float]) -> str:
    return " / ".join(f"{v:.2f}" for v in values)


def _ordered_groups(figures: list[Figure]) -> list[str]:
    seen = list(dict.fromkeys(f.group for f in figures))
    return [g for g in GROUP_ORDER if g in seen] + [g for g in seen if g not in GROUP_ORDER]


def markdown(run: BenchRun, docs_dir: Path) -> str:
    lines = ["# Benchmarks", "",
             "> Generated by `make bench` (`python -m deploykit bench`). **Do not edit by hand:** every number",
             "> here comes from the run described below, and the next `make bench` rewrites the whole file.",
             "> The same figures, with raw values, are in `build/artifacts/bench.json`; build and test output",
             "> of the run is in `build/artifacts/bench-logs/`.", "",
             "A *target* is our own aim; a *limit* is what the project plan requires (the test suite asserts",
             "it; build and install times are judged only here). [LIMITS.md](LIMITS.md) says where each comes",
             "from and what checks it; the numbers live in `deploykit/foundation/limits.py`.", "",
             "## Summary", "", *summary_lines(run.figures), "", "## Machine", "", *machine_lines(run), ""]
    for group in _ordered_groups(run.figures):
        lines += [f"## {group}", "", *figure_table([f for f in run.figures if f.group == group]), ""]
        if group == "Images":
            lines += _largest_files(run.largest_files)
        if group in run.changes:
            change = run.changes[group]
            versions = " → ".join(f"{version} ({count} answers)" for version, count in change["versions"].items())
            picture = Path(change["picture"]).relative_to(docs_dir).as_posix()
            lines += [f"The change: {change['change']}.", "",
                      "Traffic by phase (requests counted in the phase they were sent in):", "",
                      *phase_table(change["phases"]), "", f"Versions that answered: {versions or 'none reported'}.", "",
                      f"![{group} timeline]({picture})", ""]
    if run.not_measured:
        lines += ["## Not measured", "", *(f"- {group}: {why}" for group, why in run.not_measured.items()), ""]
    lines += ["## How to read these figures", "",
              "- Percentiles are nearest-rank: p95 of 10 runs is the slowest of them.",
              "- Pod times come from the pods' own timestamps, which Kubernetes keeps to the second.",
              "- Ratios (an image over its base, the render layer over plain `helm template`) come from the same",
              "  run on the same machine, so they carry over to other machines better than seconds do.",
              "- Other work shared the machine if the load average was well above 0; compare runs with that in mind.",
              ""]
    return "\n".join(lines)


def _largest_files(listings: dict) -> list[str]:
    lines = []
    for component, files in listings.items():
        lines += [f"Largest files in the {component} image:", "", "| file | size |", "|---|---|",
                  *(f"| `{path}` | {size / 1e6:.1f} MB |" for path, size in files), ""]
    return lines


def write(run: BenchRun, markdown_path: Path, json_path: Path) -> None:
    markdown_path.parent.mkdir(parents=True, exist_ok=True)
    json_path.parent.mkdir(parents=True, exist_ok=True)
    markdown_path.write_text(markdown(run, markdown_path.parent))
    json_path.write_text(json.dumps(run.as_dict(), indent=2) + "\n")
