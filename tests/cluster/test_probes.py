"""The backend's probes act on a running release: the startup probe lets a cold start finish,
liveness restarts a hung process, readiness takes the pod out of the Service while the database
is unreachable without restarting it. A readiness probe that does not check the database is
caught by the same check. The waits come from the probe settings the pod runs with."""

from deploykit.release import probechecks
from deploykit.testing.asserts import assert_no_findings, failing_on_cluster_errors


def test_starts_the_backend_within_the_startup_probe_budget_on_a_cold_start(local_release, report_figure):
    with failing_on_cluster_errors("replacing the backend pod"):
        outcome = probechecks.cold_start(local_release)
    report_figure(f"cold start of {outcome.pod}: {outcome.seconds}")
    assert_no_findings(outcome.problems, "backend cold start")


def test_restarts_a_hung_backend_through_liveness(local_release, report_figure):
    with failing_on_cluster_errors("hanging the backend"):
        outcome = probechecks.liveness_on_hang(local_release)
    report_figure(f"liveness on a hung {outcome.pod}: {outcome.seconds}")
    assert_no_findings(outcome.problems, "liveness on a hung backend")


def test_takes_the_backend_out_of_the_service_while_the_database_is_unreachable(local_release, report_figure):
    with failing_on_cluster_errors("blocking the database"):
        outcome = probechecks.readiness_during_database_outage(local_release)
    report_figure(f"readiness of {outcome.pod} during a database outage: {outcome.seconds}")
    assert_no_findings(outcome.problems, "readiness during a database outage")


def test_readiness_check_catches_a_probe_that_ignores_the_database(local_release):
    """A readiness probe on /healthz (which never touches the database) keeps serving a pod that
    cannot answer: the check above must report it."""
    healthy = local_release.revision()
    with failing_on_cluster_errors("installing a readiness probe on /healthz"):
        local_release.upgrade({"backend.probes.readiness.path": "/healthz"})
    try:
        with failing_on_cluster_errors("blocking the database"):
            outcome = probechecks.readiness_during_database_outage(local_release)
    finally:
        with failing_on_cluster_errors("rolling back to the healthy readiness probe"):
            local_release.rollback(healthy)
    assert any("stayed in" in problem for problem in outcome.problems), outcome.problems
