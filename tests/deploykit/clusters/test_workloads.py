"""deploykit.clusters.workloads: which pods serve (owned by a ReplicaSet or StatefulSet, not being
deleted), and a node drain as kubectl is asked for it (on a stand-in kubectl)."""

import pytest

from deploykit.clusters import workloads
from deploykit.foundation.errors import ClusterOperationFailed, CommandFailed
from deploykit.foundation.run import CommandResult


def test_only_pods_owned_by_a_replica_or_stateful_set_serve():
    def pod(name: str, owner: str) -> dict:
        return {"metadata": {"name": name, "ownerReferences": [{"kind": owner}]}}

    pods = [pod("web", "ReplicaSet"), pod("migration", "Job")]

    assert [p["metadata"]["name"] for p in workloads.serving_pods(pods)] == ["web"]


class StandInKubectl:
    """Records each argv; fails the commands whose first word is in `failing`."""

    def __init__(self, failing: tuple[str, ...] = ()):
        self.argvs: list[list[str]] = []
        self.failing = failing

    def __call__(self, *args, check=True, input=None, timeout=120) -> CommandResult:
        argv = [str(a) for a in args]
        self.argvs.append(argv)
        if argv[0] in self.failing:
            raise CommandFailed(["kubectl", *argv], 1, "", "error: global timeout reached: 60s")
        return CommandResult(argv, 0, "", "")


def test_a_drain_keeps_daemonsets_drops_emptydir_data_evicts_only_selected_pods_and_is_bounded():
    kubectl = StandInKubectl()

    workloads.drain(kubectl, "worker", 60, pod_selector="app.kubernetes.io/instance=todo")

    assert kubectl.argvs == [["drain", "worker", "--ignore-daemonsets", "--delete-emptydir-data", "--timeout=60s",
                              "--pod-selector=app.kubernetes.io/instance=todo"]]


def test_a_drain_that_times_out_names_the_node_and_kubectls_reason():
    with pytest.raises(ClusterOperationFailed, match="draining node worker .*global timeout reached"):
        workloads.drain(StandInKubectl(failing=("drain",)), "worker", 60)


def test_the_node_is_uncordoned_even_when_its_drain_fails():
    kubectl = StandInKubectl(failing=("drain",))

    with pytest.raises(ClusterOperationFailed), workloads.uncordoned_afterwards(kubectl, "worker"):
        workloads.drain(kubectl, "worker", 60)

    assert [argv[0] for argv in kubectl.argvs] == ["drain", "uncordon"]
