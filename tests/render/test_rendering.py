"""Every values file and every variant renders; when one does not, the layer says so once.

A rendering that fails is reported by one test here, per values file (or per variant when only
its --set values break it), with helm's error, which names the field. Every other test that reads
that rendering skips as dependent on it, so a broken chart ends the layer in its usual time with
the cause in one place.
"""

from deploykit.testing.outcomes import report_last
from deploykit.tools.helm import names_field

BAD_FIELD = "backend.replicaCount"  # what tests/render/fixtures/negative-replicas-values.yaml breaks
# A broken values file may make the run longer or bigger than a passing one by this factor at most
# (it runs one more variant's tests, skipped; measured 1.1x); re-raising one cached exception made it
# 17x longer. Time gets the wider margin: the two runs share a busy machine's cores.
SLOWER_AT_MOST = 3
BIGGER_AT_MOST = 1.5


def test_renders_values_file(values_file, renderings):
    report_last(renderings.values_file_chain(values_file), "does not render")


def test_renders_variant(variant, renderings):
    report_last(renderings.variant_chain(variant), "does not render")


def test_reports_unrenderable_values_file_once_in_its_usual_time(renderings, broken_chart_runs, bad_values_fixture):
    """A sample of the layer on a copy of the chart, and on a copy with a ci/ values file that does
    not render (conftest.py starts both at collection): the broken run fails one test, which names
    the file and the field, skips the tests that read its rendering, ends every other test as the
    passing run does, and takes about the passing run's time and memory."""
    renderings.require_all()  # a chart that does not render has no passing run to compare with
    good, bad = broken_chart_runs["good"], broken_chart_runs["bad"]
    measured = f"passing run {good.describe()}; broken run {bad.describe()}"
    assert good.returncode == 0, f"the unchanged chart must pass: {measured}\n{good.output[-3000:]}"
    assert bad.returncode is not None, f"the broken run did not end: {measured}"
    assert bad.seconds <= SLOWER_AT_MOST * good.seconds, measured
    assert bad.max_rss_mb <= BIGGER_AT_MOST * good.max_rss_mb, measured

    name = f"ci/{bad_values_fixture.name}"
    failed = bad.with_outcome("failed") + bad.with_outcome("error")
    assert [case.name.rsplit("::", 1)[1] for case in failed] == [f"test_renders_values_file[{name}]"], measured
    assert name in failed[0].message and names_field(failed[0].message, BAD_FIELD), failed[0].message
    assert [case for case in bad.cases if names_field(case.message, BAD_FIELD)] == failed, "helm's error, once"
    new = [case for case in bad.cases if case.name not in {c.name for c in good.cases + failed}]
    assert new and all(case.outcome == "skipped" and name in case.message for case in new), (
        "every test of the broken file's variant must skip as dependent on it"
    )
    before = {case.name: case.outcome for case in good.cases}
    changed = [
        f"{c.name}: {before[c.name]}, then {c.outcome}"
        for c in bad.cases
        if before.get(c.name) not in (None, c.outcome)
    ]
    assert not changed, "the other variants' tests must end as on the unchanged chart:\n" + "\n".join(changed)
