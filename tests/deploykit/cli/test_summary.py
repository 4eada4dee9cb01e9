"""The run's summary.md, on made-up reports and artifacts: a row per layer with its JUnit counts
and wall time, the headline figures against their limits linked to their artifacts, a failing
layer's failing tests and diagnostics, figures left by an earlier run marked, CI's upload links."""

import datetime
import json
import os

import pytest

from deploykit.cli import layerrun, summary
from deploykit.foundation import artifacts, junit

STARTED = datetime.datetime(2026, 12, 2, 12, 0, tzinfo=datetime.UTC)
DURING = "2026-12-02T12:05:00+00:00"
BEFORE = "2026-12-01T09:00:00+00:00"


def layers_json(reports, layers, not_run=()):
    reports.mkdir(parents=True, exist_ok=True)
    (reports / "layers.json").write_text(json.dumps({
        "started_at": STARTED.isoformat(),
        "layers": [{"layer": name, "passed": passed, "seconds": seconds} for name, passed, seconds in layers],
        "not_run": list(not_run)}))


def cases(layer, passed=0, failed=(), skipped=0):
    made = [junit.Case(f"test_ok_{i}", f"tests.{layer}.test_a") for i in range(passed)]
    made += [junit.Case(name, f"tests.{layer}.test_b", "failed", message) for name, message in failed]
    made += [junit.Case(f"test_skip_{i}", f"tests.{layer}.test_c", "skipped", "no engine") for i in range(skipped)]
    return made


def artifact(artifacts, name, data, mtime=None):
    artifacts.mkdir(parents=True, exist_ok=True)
    path = artifacts / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data) if isinstance(data, dict) else data)
    stamp = (mtime or datetime.datetime.fromisoformat(DURING)).timestamp()
    os.utime(path, (stamp, stamp))


def measured(value, unit, bound, target, at=DURING, **extra):
    return {"value": value, "unit": unit, "bound": bound, "target": target, "met_bound": value < bound,
            "measured_at": at, **extra}


def traffic(requests, failed, p99):
    return {"traffic": {"requests": requests, "failed": failed, "latency_p99_ms": p99}}


@pytest.fixture
def build(tmp_path):
    return tmp_path / "reports", tmp_path / "artifacts"


@pytest.fixture
def whole_run(build):
    """Every layer ran and passed, and the container and cluster layers left their figures."""
    reports, artifacts = build
    layers_json(reports, [("lint", True, 31.2), ("render", True, 16.0), ("cluster", True, 540.4)])
    junit.write(reports / "junit-lint.xml", "lint", cases("lint", passed=4))
    junit.write(reports / "junit-render.xml", "render", cases("render", passed=120, skipped=2))
    junit.write(reports / "junit-cluster.xml", "cluster", cases("cluster", passed=40))
    artifact(artifacts, "image-size.json", {"backend": measured(98.4, "MB", 150, 100),
                                            "frontend": measured(212.0, "MB", 200, 40)})
    artifact(artifacts, "container-startup.json",
             {"backend": measured(1.234, "s", 10, 2, runs=[1.1, 1.2, 1.234])})
    artifact(artifacts, "pod-startup.json", {"install": {"pods": 3, "max_s": 6.0, "p95_s": 5.8, "bound_s": 10,
                                                         "target_s": 5, "met_bound": True, "measured_at": DURING}})
    artifact(artifacts, "rollout-image-upgrade.json", traffic(1520, 0, 45.1))
    artifact(artifacts, "rollout-only-pod-deletion.json", traffic(900, 37, 120.0))
    return reports, artifacts


def rows(text, header):
    """The rows of the table under the line starting with header, as lists of cells."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(header)) + 2
    table = []
    for line in lines[start:]:
        if not line.startswith("|"):
            break
        table.append([cell.strip() for cell in line.strip("|").split(" | ")])
    return table


def test_each_layer_has_its_verdict_counts_wall_time_and_junit_link(whole_run):
    reports, artifacts = whole_run
    layers_json(reports, [("lint", True, 31.2), ("render", True, 16.0), ("cluster", True, 540.4)],
                not_run=("bench",))

    text = summary.write(reports, artifacts).read_text()

    assert text.startswith("# make test: FAILED")  # a layer not run is not a pass
    assert rows(text, "| layer |") == [
        ["lint", "passed", "4", "0", "0", "31.2 s", "[junit-lint.xml](junit-lint.xml)"],
        ["render", "passed", "120", "0", "2", "16.0 s", "[junit-render.xml](junit-render.xml)"],
        ["cluster", "passed", "40", "0", "0", "9 min 0 s", "[junit-cluster.xml](junit-cluster.xml)"],
        ["bench", "not run", "", "", "", "", ""],
        ["total", "", "164", "0", "2", "9 min 48 s", ""],
    ]


def test_a_layer_that_wrote_no_junit_says_so(build):
    reports, artifacts = build
    layers_json(reports, [("frontend", True, 55.0)])
    text = summary.write(reports, artifacts).read_text()
    assert rows(text, "| layer |")[0] == ["frontend", "passed", "–", "–", "–", "55.0 s", "none written"]
    assert text.startswith("# make test: passed")


SIZES = "[image-size.json](../artifacts/image-size.json)"


def test_a_truncated_junit_file_counts_as_none_written(build):
    reports, artifacts = build
    layers_json(reports, [("container", False, 12.0)])
    (reports / "junit-container.xml").write_text("<testsuites><testsuite><testcase name=")
    assert rows(summary.write(reports, artifacts).read_text(), "| layer |")[0][-1] == "none written"


def test_headline_figures_stand_beside_their_limits_linked_to_their_artifacts(whole_run):
    text = summary.write(*whole_run).read_text()

    assert rows(text, "| figure |") == [
        ["backend image size", "98.4 MB", "< 150 MB (target ≤ 100)", "yes", SIZES],
        ["frontend image size", "212.0 MB", "< 200 MB (target ≤ 40)", "NO", SIZES],
        ["backend container start to healthy (slowest of 3)", "1.23 s", "< 10 s (target ≤ 2)", "yes",
         "[container-startup.json](../artifacts/container-startup.json)"],
        ["pod start, install (max of 3 pods; p95 5.8 s)", "6 s", "< 10 s (target ≤ 5)", "yes",
         "[pod-startup.json](../artifacts/pod-startup.json)"],
    ]
    assert rows(text, "| scenario |") == [
        ["image-upgrade", "0 of 1520", "45.1 ms", "yes",
         "[rollout-image-upgrade.json](../artifacts/rollout-image-upgrade.json)"],
        ["only-pod-deletion", "37 of 900", "120 ms", "not judged: the only pod was deleted",
         "[rollout-only-pod-deletion.json](../artifacts/rollout-only-pod-deletion.json)"],
    ]


def test_a_failed_rollout_scenario_is_marked(build):
    reports, artifacts = build
    layers_json(reports, [("cluster", False, 300.0)])
    artifact(artifacts, "rollout-rollback.json", traffic(1000, 3, 80.0))
    assert rows(summary.write(reports, artifacts).read_text(), "| scenario |")[0][:4] == [
        "rollback", "3 of 1000", "80 ms", "NO"]


def test_a_failing_layer_names_its_failing_tests_and_the_diagnostics_report(build):
    reports, artifacts = build
    layers_json(reports, [("render", True, 16.0), ("cluster", False, 300.0)], not_run=())
    junit.write(reports / "junit-cluster.xml", "cluster", cases("cluster", passed=3, failed=[
        ("test_rollback_drops_no_request", "helm rollback to revision 1 under traffic: 1 problem(s)")]))
    artifact(artifacts, "diagnostics/cluster-rollout-1a2b.txt", "Diagnostics of namespace cluster-rollout-1a2b")
    artifact(artifacts, "diagnostics/old-run.txt", "an earlier run's", mtime=datetime.datetime(2026, 11, 1))

    text = summary.write(reports, artifacts).read_text()

    failures = text.split("## cluster failed", 1)[1].split("##", 1)[0]
    assert ("- `tests.cluster.test_b::test_rollback_drops_no_request`: helm rollback to revision 1 under traffic: "
            "1 problem(s)") in failures
    assert "[diagnostics/cluster-rollout-1a2b.txt](../artifacts/diagnostics/cluster-rollout-1a2b.txt)" in failures
    assert "old-run" not in text
    assert rows(text, "| layer |")[1][:4] == ["cluster", "**FAILED**", "3", "1"]


def test_a_layer_failing_outside_its_tests_says_where_to_look(build):
    reports, artifacts = build
    layers_json(reports, [("frontend", False, 20.0)])
    junit.write(reports / "junit-frontend.xml", "frontend", cases("frontend", passed=65))
    text = summary.write(reports, artifacts).read_text()
    assert "No failing test case in junit-frontend.xml" in text
    assert "ESLint or tsc" in text


def test_figures_an_earlier_run_left_are_marked(build):
    reports, artifacts = build
    layers_json(reports, [("render", True, 16.0)], not_run=("container", "cluster"))
    artifact(artifacts, "image-size.json", {"backend": measured(98.4, "MB", 150, 100, at=BEFORE)})
    artifact(artifacts, "rollout-rollback.json", traffic(1000, 0, 80.0), mtime=datetime.datetime(2026, 11, 1))
    text = summary.write(reports, artifacts).read_text()
    assert rows(text, "| figure |")[0][0] == "backend image size (from an earlier run)"
    assert rows(text, "| scenario |")[0][0] == "rollback (from an earlier run)"


def test_no_figures_says_which_layers_write_them(build):
    reports, artifacts = build
    layers_json(reports, [("lint", True, 1.0)])
    assert "None recorded: the container and cluster layers write them" in summary.write(reports, artifacts).read_text()


def test_ci_links_go_to_the_uploads(whole_run):
    links = summary.Links("https://ci.example/reports", "https://ci.example/artifacts")
    text = summary.write(*whole_run, links=links, output=whole_run[0] / "ci.md").read_text()
    assert "[junit-lint.xml](https://ci.example/reports)" in text
    assert "[image-size.json](https://ci.example/artifacts)" in text


def test_make_test_records_when_it_started_and_ends_with_the_summary(tmp_path, monkeypatch):
    monkeypatch.setattr(layerrun, "REPORT", tmp_path / "reports" / "layers.json")
    monkeypatch.setattr(layerrun.paths, "REPO", tmp_path)
    monkeypatch.setattr(layerrun, "run_layer", lambda layer: layerrun.LayerResult(layer, layer != "render", 1.0))
    written = []
    monkeypatch.setattr(layerrun.summary, "write", lambda reports: written.append(reports) or reports / "summary.md")

    assert layerrun.run_layers(("lint", "render", "cluster")) is False

    report = json.loads((tmp_path / "reports" / "layers.json").read_text())
    assert datetime.datetime.fromisoformat(report["started_at"]).tzinfo is not None
    assert (report["not_run"], written) == (["cluster"], [tmp_path / "reports"])


def test_saved_diagnostics_are_the_ones_the_summary_links(tmp_path, monkeypatch):
    monkeypatch.setattr(artifacts.paths, "ARTIFACTS", tmp_path / "artifacts")
    saved = artifacts.save_text(f"{artifacts.DIAGNOSTICS}/cluster-install-9f.txt", "Diagnostics of namespace ...")
    assert saved.read_text() == "Diagnostics of namespace ..."
    assert summary.diagnostics_reports(tmp_path / "artifacts") == ["diagnostics/cluster-install-9f.txt"]
