"""values-production.yaml on the test cluster (the production_release fixture: changed only where
the cluster differs, with a stand-in external database). Two replicas of each component on nodes
of their own, disruption budgets that the Eviction API and a node drain honour, no request
dropped while a pod is evicted or a node drained, `helm test` passing through the production
NetworkPolicies, and live updates reaching clients on every backend pod."""

import pytest

from deploykit.clusters import workloads
from deploykit.foundation import artifacts
from deploykit.foundation.constants import COMPONENTS
from deploykit.release import livefeed, nodedrain, placement, rollouts
from deploykit.release.helmrelease import Release
from deploykit.testing.asserts import assert_no_findings, failing_on_cluster_errors

REPLICAS = 2  # values-production.yaml's autoscaling.minReplicas
SCALE_UP_TIMEOUT_S = 120
# At traffic.RATE (50/s) the drain's traffic lasts at least 40 s, whatever the drain takes.
DRAIN_MIN_REQUESTS = 2000


def test_production_runs_two_ready_replicas_of_each_component(production_release):
    for component in COMPONENTS:
        pods = production_release.serving_pods(component)
        assert [workloads.is_ready(p) for p in pods] == [True] * REPLICAS, component


def test_production_guards_each_component_with_a_disruption_budget(production_release):
    for component in COMPONENTS:
        budget = production_release.kubectl.get_json(
            "pdb", production_release.object_name("pdb", component), "-n", production_release.namespace)
        assert budget["spec"]["maxUnavailable"] == 1, component
        assert budget["status"]["currentHealthy"] == REPLICAS, component
        assert budget["status"]["disruptionsAllowed"] == 1, component


def test_production_asks_for_replicas_spread_over_nodes(production_release):
    for component in COMPONENTS:
        deployment = production_release.kubectl.get_json(
            "deployment", production_release.object_name("deployment", component), "-n", production_release.namespace)
        spread = deployment["spec"]["template"]["spec"]["topologySpreadConstraints"]
        assert [c["topologyKey"] for c in spread] == ["kubernetes.io/hostname"], component
        assert spread[0]["labelSelector"]["matchLabels"]["app.kubernetes.io/component"] == component


@pytest.mark.nodes(3)
def test_production_runs_each_components_replicas_on_different_nodes(production_release):
    """From the pods' spec.nodeName. The spread is ScheduleAnyway, a preference: with two
    schedulable workers the scheduler's spread score places the second replica away from the
    first, and a cluster short of nodes still schedules both."""
    pods = nodedrain.serving_pods_by_component(production_release)
    assert_no_findings(placement.spread_findings(pods, REPLICAS), "each component's replicas on nodes of their own")


@pytest.mark.nodes(3)
def test_draining_a_node_under_traffic_drops_no_request_and_keeps_every_component_serving(production_release,
                                                                                          measured):
    """kubectl drain of a worker holding a replica of each component (its serving pods only),
    under steady traffic through the frontend and backend Services (deploykit.release.nodedrain)."""
    with failing_on_cluster_errors("draining a worker under traffic"):
        drained = nodedrain.drain_under_traffic(
            production_release,
            lambda drain: measured(production_release, "drain", drain, also_watched=("frontend",),
                                   min_requests=DRAIN_MIN_REQUESTS),
            REPLICAS)

    # The budgets hold when no Service is ever left without a ready endpoint.
    assert_no_findings(drained.disruption.problems(capacity_floor=REPLICAS - 1),
                       f"draining node {drained.node} under traffic")
    assert_no_findings(drained.rescheduled, f"replacing the pods drained from {drained.node}")


def test_helm_test_passes_through_the_production_network_policies(production_release):
    """frontendIngressFrom admits only the ingress's namespace; the frontend's policy must still
    let the release's own test pods in (on a cluster that enforces NetworkPolicy: kind's)."""
    with failing_on_cluster_errors("helm test with values-production.yaml"):
        production_release.test()
    runs = {hook["name"]: hook["last_run"]["phase"] for hook in production_release.status()["hooks"]
            if "test" in hook["events"]}
    assert len(runs) == 3 and set(runs.values()) == {"Succeeded"}, runs


def test_eviction_honours_the_disruption_budget_and_drops_no_request(production_release, report_figure):
    release = production_release
    evicted = {}

    def evict_both_backend_pods():
        # The budget allows one pod down at a time: the second eviction must be refused, as a
        # node drain would be told to wait.
        for pod in release.serving_pods("backend"):
            evicted[pod["metadata"]["name"]] = workloads.evict_pod(release.kubectl, release.namespace,
                                                                   pod["metadata"]["name"])

    with failing_on_cluster_errors("evicting backend pods under traffic"):
        disruption = rollouts.under_traffic(release, "eviction", evict_both_backend_pods)
    report_figure(disruption.summary())
    artifacts.record("rollout-eviction", "traffic", disruption.figures())
    assert sorted(evicted.values()) == [False, True], f"evictions allowed: {evicted}"
    assert_no_findings(disruption.problems(capacity_floor=REPLICAS - 1), "evicting a backend pod under traffic")


LIVE_UPDATE_TIMEOUT_S = 5
BACKEND_PORT = 8000  # backend.containerPort
FRONTEND_SERVICE_PORT = 80


def test_live_updates_reach_clients_on_every_backend_pod(production_release):
    """A WebSocket client on each of two backend pods (port-forwarded pod by pod) hears a task
    created through the frontend Service, which reaches whichever backend pod its Service picks:
    the fan-out goes through the database (LISTEN/NOTIFY), not one process's memory."""
    with _feeds_on_backend_pods(production_release) as listeners:
        task = livefeed.create_task(listeners.service_url, listeners.token, "Heard on every pod")
        heard = listeners.heard(timeout=LIVE_UPDATE_TIMEOUT_S)
    assert heard == {pod: {"type": "task.created", "task": task} for pod in listeners.feeds}


def test_in_process_fan_out_leaves_clients_on_other_pods_unaware(production_release):
    """The test above, with fan-out turned back to in-process (LIVE_UPDATES_FANOUT): a task created
    through one pod reaches that pod's client only, which is what the database fan-out prevents."""
    release = production_release
    restore = release.revision()
    try:
        with failing_on_cluster_errors("rolling the backend to in-process fan-out"):
            release.upgrade({"backend.extraEnv": [{"name": "LIVE_UPDATES_FANOUT", "value": "in-process"}]})
        with _feeds_on_backend_pods(release) as listeners:
            maker, other = listeners.feeds
            task = livefeed.create_task(listeners.pod_urls[maker], listeners.token, "Heard on one pod")
            heard = listeners.heard(timeout=LIVE_UPDATE_TIMEOUT_S)
    finally:
        with failing_on_cluster_errors("rolling the backend back to database fan-out"):
            release.rollback(restore)
            workloads.wait_ready_replicas(release.kubectl, release.namespace,
                                          release.object_name("deployment", "backend"), REPLICAS, SCALE_UP_TIMEOUT_S)
    assert heard == {maker: {"type": "task.created", "task": task}, other: None}


def _feeds_on_backend_pods(release: Release):
    pods = [pod["metadata"]["name"] for pod in release.serving_pods("backend")]
    assert len(pods) >= REPLICAS, f"expected {REPLICAS} backend pods, found {pods}"
    return livefeed.on_each_pod(release.kubectl, release.namespace, release.object_name("service", "frontend"),
                                FRONTEND_SERVICE_PORT, pods[:REPLICAS], BACKEND_PORT)
