"""deploykit.release.placement on made-up pods: replicas sharing a node (or pending) are named with
the whole placement, the node to drain holds a pod of every component, and a drain's evicted pods
must be gone, replaced off the drained node, with every component back to its Ready replicas."""

import pytest

from deploykit.foundation.errors import ClusterOperationFailed
from deploykit.release import placement


def pod(name: str, node: str | None, ready: bool = True) -> dict:
    return {"metadata": {"name": name}, "spec": {"nodeName": node} if node else {},
            "status": {"conditions": [{"type": "Ready", "status": "True" if ready else "False"}]}}


SPREAD = {"backend": [pod("b1", "worker"), pod("b2", "worker2")],
          "frontend": [pod("f1", "worker2"), pod("f2", "worker")]}


def test_replicas_on_different_nodes_are_spread():
    assert placement.spread_findings(SPREAD, 2) == []


def test_replicas_sharing_a_node_or_pending_are_named_with_their_nodes():
    pods = {"backend": [pod("b1", "worker"), pod("b2", "worker")], "frontend": [pod("f1", "worker"), pod("f2", None)]}

    assert placement.spread_findings(pods, 2) == [
        "backend's 2 replicas share a node (or one is pending): {'b1': 'worker', 'b2': 'worker'}",
        "frontend's 2 replicas share a node (or one is pending): {'f1': 'worker', 'f2': '(pending)'}",
    ]


def test_a_missing_replica_is_not_taken_for_a_spread():
    assert placement.spread_findings({"backend": [pod("b1", "worker")]}, 2) == [
        "backend runs 1 serving pod(s), expected 2: {'b1': 'worker'}"]


def test_the_node_to_drain_holds_a_pod_of_every_component():
    pods = {"backend": [pod("b1", "worker"), pod("b2", "worker2")], "frontend": [pod("f1", "worker2"), pod("f2", "w3")]}

    assert placement.node_holding_every_component(pods) == "worker2"
    assert placement.node_holding_every_component(SPREAD) == "worker"  # the first by name, so runs agree
    assert placement.pods_on(SPREAD, "worker") == {"backend": ["b1"], "frontend": ["f2"]}


def test_no_node_to_drain_when_no_node_holds_every_component():
    pods = {"backend": [pod("b1", "worker")], "frontend": [pod("f1", "worker2")]}

    with pytest.raises(ClusterOperationFailed, match="no node holds a pod of every component"):
        placement.node_holding_every_component(pods)


def test_evicted_pods_replaced_on_other_nodes_and_ready_pass():
    after = {"backend": [pod("b2", "worker2"), pod("b3", "worker2")],
             "frontend": [pod("f1", "worker2"), pod("f3", "worker2")]}

    assert placement.rescheduled_findings({"backend": ["b1"], "frontend": ["f2"]}, after, "worker", 2) == []


def test_an_evicted_pod_still_serving_a_pod_on_the_drained_node_and_a_replacement_not_ready_are_found():
    after = {"backend": [pod("b1", "worker"), pod("b2", "worker2")],
             "frontend": [pod("f1", "worker2"), pod("f3", "worker2", ready=False)]}

    assert placement.rescheduled_findings({"backend": ["b1"], "frontend": ["f2"]}, after, "worker", 2) == [
        "backend: pod(s) ['b1'] should have been evicted from worker but still serve",
        "backend: pod(s) ['b1'] run on the drained (cordoned) node worker",
        "frontend has 1 Ready pod(s) after the drain, expected 2: {'f1': 'worker2', 'f3': 'worker2'}",
    ]
