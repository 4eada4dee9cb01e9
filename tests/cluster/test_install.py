"""Installing the chart with values-local.yaml: the migration hook Job migrates the database,
every pod becomes Ready without a restart and under the pod startup limit (figures in
build/artifacts/pod-startup.json), `helm test` passes, and a person can use the app in a browser
through a port-forward to the frontend Service."""

import pytest

from deploykit.clusters import workloads
from deploykit.containers.journey import run_journey
from deploykit.foundation import artifacts
from deploykit.foundation.errors import JourneyFailed
from deploykit.foundation.limits import POD_READY_S
from deploykit.release import podstartup, portforward
from deploykit.testing.asserts import assert_no_findings, failing_on_cluster_errors


@pytest.fixture(scope="module")
def installed_pods(local_release) -> list[dict]:
    """The release's serving pods as the install left them."""
    return local_release.serving_pods()


def test_install_runs_the_migration_hook_job_to_success(local_release):
    hooks = local_release.status()["hooks"]
    jobs = {hook["name"]: hook["last_run"]["phase"] for hook in hooks if hook["kind"] == "Job"}
    assert [phase for name, phase in jobs.items() if name.endswith("-migration")] == ["Succeeded"], jobs


def test_install_migrates_the_database_schema(local_release):
    with failing_on_cluster_errors("reading the schema version from the database"):
        version = local_release.psql("SELECT version_num FROM alembic_version")
    assert version, "alembic_version is empty: the migration did not run"


def test_install_makes_every_pod_ready_without_restarts(installed_pods):
    components = sorted(p["metadata"]["labels"]["app.kubernetes.io/component"] for p in installed_pods)
    assert components == ["backend", "frontend", "postgresql"]
    assert {p["metadata"]["name"]: (workloads.is_ready(p), workloads.restart_count(p)) for p in installed_pods} == {
        p["metadata"]["name"]: (True, 0) for p in installed_pods}


def test_install_pods_become_ready_within_the_startup_bound(cluster, installed_pods, report_figure):
    startups = podstartup.timed_from_dependencies([podstartup.PodStartup.of(p) for p in installed_pods])
    summary = podstartup.summary(startups, POD_READY_S, cluster=cluster.NAME, values="values-local.yaml")
    artifacts.record("pod-startup", "install", summary)
    report_figure(f"install: {podstartup.describe(summary)}")
    assert_no_findings(podstartup.problems(startups, POD_READY_S), "pods of the install, created to Ready")


def test_helm_test_passes(local_release):
    with failing_on_cluster_errors("helm test"):
        local_release.test()
    runs = {hook["name"]: hook["last_run"]["phase"] for hook in local_release.status()["hooks"]
            if "test" in hook["events"]}
    assert len(runs) == 3 and set(runs.values()) == {"Succeeded"}, runs


def test_person_uses_the_app_through_a_port_forward_to_the_frontend(local_release, e2e_browser, report_figure):
    service = local_release.object_name("service", "frontend")
    port = local_release.kubectl.get_json("service", service, "-n", local_release.namespace)["spec"]["ports"][0]["port"]
    with failing_on_cluster_errors(f"port-forwarding to service/{service}"), \
            portforward.forwarded(local_release.kubectl, local_release.namespace, service, port) as url:
        try:
            report = run_journey(e2e_browser, url)
        except JourneyFailed as exc:
            pytest.fail(str(exc), pytrace=False)
    report_figure(f"e2e journey through a port-forward to service/{service}: {report.seconds:.1f} s")
    assert report.csp_violations == []
