"""Zero downtime under steady in-cluster traffic (through the frontend Service, and the backend
Service that names the answering version), from before the change until every Deployment has
settled: a `helm upgrade` to a new image tag, a config-only upgrade, a `helm rollback` and a
deleted pod of two each drop no request, and a rollout never lowers the ready endpoints below the
replica count (the chart's maxUnavailable 0). The only pod of a Deployment, deleted, is replaced
within the pod startup bound. Figures: build/artifacts/rollout-*.json and
pod-startup.json. The same check catches maxUnavailable 1 with a single replica."""

import json
import uuid

import pytest

from deploykit.clusters import workloads
from deploykit.foundation import artifacts
from deploykit.foundation.constants import COMPONENTS
from deploykit.foundation.limits import POD_READY_S
from deploykit.images import build as images
from deploykit.release import podstartup, rollouts
from deploykit.release.helmrelease import Release, image_version_values
from deploykit.testing.asserts import assert_no_findings, failing_on_cluster_errors

NEXT_VERSION = f"{images.chart_version()}-next"


@pytest.fixture(scope="module")
def next_version(docker_client, cluster, project_images) -> str:
    """A second tag of the backend image, loaded into the cluster: the version upgrades go to."""
    with failing_on_cluster_errors(f"tagging and loading the backend image as {NEXT_VERSION}"):
        cluster.load_images([rollouts.retag(docker_client, project_images["backend"], NEXT_VERSION)])
    return NEXT_VERSION


def app_version(release: Release) -> str:
    return next(e["value"] for e in release.set_values["backend.extraEnv"] if e["name"] == "APP_VERSION")


def test_upgrade_to_a_new_image_tag_drops_no_request(local_release, next_version, measured):
    before = app_version(local_release)
    disruption = measured(local_release, "image-upgrade",
                          lambda: local_release.upgrade(image_version_values(next_version)))
    assert_no_findings(disruption.problems(expect_versions=(before, next_version),
                                           capacity_floor=rollouts.replicas(local_release, "backend")),
                       f"helm upgrade from {before} to {next_version} under traffic")


def test_config_only_change_drops_no_request(local_release, measured):
    version = app_version(local_release)
    disruption = measured(local_release, "config-change",
                          lambda: local_release.upgrade({"backend.config.logLevel": "warning"}))
    assert disruption.new_pods, "the config change did not roll the backend pods"
    assert_no_findings(disruption.problems(expect_versions=(version,),
                                           capacity_floor=rollouts.replicas(local_release, "backend")),
                       "config-only helm upgrade under traffic")


def test_rollback_drops_no_request(local_release, next_version, measured):
    installed = 1  # the install revision, which ran the chart's own version
    with failing_on_cluster_errors("upgrading, so that there is a newer revision to roll back from"):
        local_release.upgrade(image_version_values(next_version))
    disruption = measured(local_release, "rollback", lambda: local_release.rollback(installed))
    assert_no_findings(disruption.problems(expect_versions=(next_version, images.chart_version()),
                                           capacity_floor=rollouts.replicas(local_release, "backend")),
                       f"helm rollback to revision {installed} under traffic")


@pytest.fixture
def two_backend_replicas(local_release):
    """The backend at two replicas for one test, then back to the local profile's one (a scale, not
    a rollout: the pod template is unchanged)."""
    with failing_on_cluster_errors("scaling the backend to two replicas"):
        local_release.upgrade({"backend.replicaCount": 2})
    yield local_release
    with failing_on_cluster_errors("scaling the backend back to one replica"):
        local_release.upgrade({"backend.replicaCount": 1})
        rollouts.wait_settled(local_release)


def delete_one_backend_pod(release: Release) -> None:
    pod = release.serving_pods("backend")
    workloads.delete_pod(release.kubectl, release.namespace, pod[0]["metadata"]["name"])


def test_deleting_one_of_two_backend_pods_drops_no_request(two_backend_replicas, measured):
    """With two replicas the Service always has a ready endpoint: the deleted pod leaves the
    endpoints first and serves through its preStop pause meanwhile, so no request can fail,
    however long its replacement takes to start."""
    disruption = measured(two_backend_replicas, "pod-deletion", lambda: delete_one_backend_pod(two_backend_replicas))
    assert disruption.new_pods, "no replacement pod was created"
    assert_no_findings(disruption.problems(expect_versions=(app_version(two_backend_replicas),), capacity_floor=1),
                       "deleting one of two backend pods under traffic")


def test_deleting_the_only_backend_pod_is_repaired_within_the_startup_bound(local_release, measured, report_figure):
    """Deleting the only pod of a Deployment is capacity lost: what the chart guarantees is a
    replacement, Ready within the pod startup bound. The outage the traffic saw is a figure
    (build/artifacts/rollout-only-pod-deletion.json), not a verdict: it depends on machine speed."""
    disruption = measured(local_release, "only-pod-deletion", lambda: delete_one_backend_pod(local_release))
    assert len(disruption.new_pods) == 1, f"expected one replacement pod, got {disruption.new_pods}"
    assert_no_findings(podstartup.problems(disruption.new_pods, POD_READY_S), "the replacement backend pod")


def test_rollout_pods_become_ready_within_the_startup_bound(cluster, local_release, report_figure):
    marker = {f"{c}.podAnnotations": {"deploykit/rollout": uuid.uuid4().hex[:8]} for c in COMPONENTS}
    before = {p["metadata"]["name"] for p in workloads.pods(local_release.kubectl, local_release.namespace,
                                                            local_release.selector())}
    with failing_on_cluster_errors("rolling both Deployments"):
        local_release.upgrade(marker)
        rollouts.wait_settled(local_release)
    pods = local_release.serving_pods()
    startups = [podstartup.PodStartup.of(p) for p in pods if p["metadata"]["name"] not in before]
    summary = podstartup.summary(startups, POD_READY_S, cluster=cluster.NAME, values="values-local.yaml")
    artifacts.record("pod-startup", "rollout", summary)
    report_figure(f"rollout: {podstartup.describe(summary)}")
    assert sorted(s.component for s in startups) == sorted(COMPONENTS)
    assert_no_findings(podstartup.problems(startups, POD_READY_S), "pods of a rollout, created to Ready")


def test_zero_downtime_check_catches_max_unavailable_1_with_one_replica(local_release, measured):
    """maxUnavailable 1 lets the only backend pod go before its successor is ready. The traffic
    may still be answered (the old pod serves through its preStop pause), but the ready
    endpoints drop to zero, which the check must report."""
    deployment = local_release.object_name("deployment", "backend")

    def patch_strategy(max_unavailable: int) -> None:
        strategy = {"spec": {"strategy": {"rollingUpdate": {"maxUnavailable": max_unavailable, "maxSurge": 1}}}}
        local_release.kubectl("-n", local_release.namespace, "patch", "deployment", deployment, "--type", "merge",
                              "-p", json.dumps(strategy))

    with failing_on_cluster_errors("patching the backend Deployment to maxUnavailable 1"):
        patch_strategy(1)
    try:
        disruption = measured(local_release, "max-unavailable-1", lambda: local_release.kubectl(
            "-n", local_release.namespace, "rollout", "restart", f"deployment/{deployment}"), record=False)
    finally:
        with failing_on_cluster_errors("restoring maxUnavailable 0"):
            patch_strategy(0)
    problems = disruption.problems(capacity_floor=rollouts.replicas(local_release, "backend"))
    assert any("capacity dropped" in problem for problem in problems), disruption.summary()
