"""docs/BENCHMARKS.md is rendered whole from one run: the machine, a table per group with each
figure beside its target and limit, the rollouts' phases and pictures, and what was not measured."""

from pathlib import Path

from deploykit.bench.document import BenchRun, figure_table, markdown, phase_table, summary_lines
from deploykit.bench.figure import Figure
from deploykit.foundation.limits import Budget

SIZE = Budget("image size", "MB", bound=150, target=100)
DOCS = Path("/repo/docs")
MACHINE = {
    "cores": 2, "cpu": "AMD EPYC", "memory_gib": 23.5, "kernel": "6.1.0", "os": "Debian GNU/Linux 12 (bookworm)",
    "python": "3.11.7", "docker": "20.10.24 (API 1.41)", "helm": "v3.17.3",
    "bases": {"python": {"image": "localhost/todo-base/python:3.13-slim",
                         "kind": "air-gapped equivalent of python:3.13-slim"}},
    "cluster": {"provider": "local", "kubernetes": "v1.34.4", "kubelet": "v1.34.4",
                "container_runtime": "containerd://1.7.24", "nodes": 1},
}
PHASES = {phase: {"requests": 750, "failed": 0, "error_rate": 0.0, "longest_gap_s": 0.05,
                  "latency_p50_ms": 4.2, "latency_p99_ms": 11.0} for phase in ("before", "during", "after")}


def size_figure(value: float, group: str = "Images") -> Figure:
    return Figure("image.backend.size", group, "backend image, uncompressed", value, "MB",
                  "`docker image inspect .Size`", SIZE, note="12 layers", digits=1)


def bench_run(**fields) -> BenchRun:
    defaults = {"started": "2026-11-27T01:00:00+00:00", "wall_s": 600.0,
                "load_average": {"start": [0.5, 0.7, 0.9], "end": [1.2, 1.0, 0.9]}, "machine": MACHINE,
                "figures": [size_figure(105.2)]}
    return BenchRun(**{**defaults, **fields})


def test_figure_table_puts_each_figure_beside_target_bound_and_method():
    rows = figure_table([size_figure(105.2)])
    assert rows[0] == "| figure | measured | our target | limit | how it was measured |"
    assert rows[2] == ("| backend image, uncompressed | **105.2 MB**<br>12 layers | ≤ 100 MB, **not met** | "
                       "< 150 MB, met | `docker image inspect .Size` |")


def test_figure_table_escapes_pipes_that_would_end_a_cell():
    piped = Figure("image.backend.gzipped", "Images", "backend image, compressed", 36.8, "MB",
                   "bytes of `docker save | gzip`")
    assert figure_table([piped])[2].endswith("| bytes of `docker save \\| gzip` |")


def test_summary_counts_and_names_what_was_missed():
    lines = summary_lines([size_figure(105.2), size_figure(90.0)])
    assert lines == ["- Limits: 2 of 2 met.",
                     "- Our targets: 1 of 2 met. Not met: Images: backend image, uncompressed."]


def test_summary_names_a_missed_limit_in_bold():
    assert "**Not met:** Images: backend image, uncompressed." in summary_lines([size_figure(151.0)])[0]


def test_phase_table_has_a_row_per_phase():
    rows = phase_table(PHASES)
    assert rows[0].startswith("| traffic | requests | failed | error rate |")
    assert rows[2] == "| before | 750 | 0 | 0.00% | 0.05 | 4.2 | 11 |"
    assert len(rows) == 5


def test_markdown_says_it_is_generated_and_describes_the_machine():
    text = markdown(bench_run(), DOCS)
    assert "**Do not edit by hand:**" in text
    assert "[LIMITS.md](LIMITS.md)" in text  # the legend sends readers to where each limit comes from
    assert "| CPU | 2 cores, AMD EPYC |" in text
    assert "| Kubernetes | v1.34.4: local, 1 node(s), kubelet v1.34.4, containerd://1.7.24 |" in text
    assert "python: `localhost/todo-base/python:3.13-slim` (air-gapped equivalent of python:3.13-slim)" in text
    assert "0.50 / 0.70 / 0.90 at the start, 1.20 / 1.00 / 0.90 at the end" in text


def test_markdown_orders_groups_for_reading_and_links_each_picture():
    change = {"change": "`helm upgrade`", "phases": PHASES, "versions": {"0.1.0": 10, "0.1.0-bench.2": 20},
              "picture": DOCS / "img" / "rolling-update-timeline.svg"}
    run = bench_run(figures=[size_figure(1.0, "Rolling update"), size_figure(1.0, "Images")],
                    changes={"Rolling update": change})
    text = markdown(run, DOCS)
    assert text.index("## Images") < text.index("## Rolling update")
    assert "![Rolling update timeline](img/rolling-update-timeline.svg)" in text
    assert "0.1.0 (10 answers) → 0.1.0-bench.2 (20 answers)" in text
    assert "The change: `helm upgrade`." in text


def test_markdown_lists_what_was_not_measured():
    text = markdown(bench_run(not_measured={"cluster layer": "ClusterUnavailable: no cluster"}), DOCS)
    assert "## Not measured\n\n- cluster layer: ClusterUnavailable: no cluster" in text


def test_markdown_lists_the_largest_files_of_each_image():
    text = markdown(bench_run(largest_files={"backend": [("/usr/bin/python3.13", 6_832_784)]}), DOCS)
    assert "| `/usr/bin/python3.13` | 6.8 MB |" in text


def test_json_of_a_run_carries_every_figure_and_the_picture_as_text():
    run = bench_run(changes={"Rollback": {"change": "`helm rollback`", "phases": PHASES, "versions": {},
                                          "picture": DOCS / "img" / "r.svg"}})
    data = run.as_dict()
    assert data["figures"][0]["key"] == "image.backend.size"
    assert data["changes"]["Rollback"]["picture"] == "/repo/docs/img/r.svg"
