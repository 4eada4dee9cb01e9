"""deploykit.clusters.workloads: which pods serve (owned by a ReplicaSet or StatefulSet, not being
deleted)."""

from deploykit.clusters import workloads


def test_only_pods_owned_by_a_replica_or_stateful_set_serve():
    def pod(name: str, owner: str) -> dict:
        return {"metadata": {"name": name, "ownerReferences": [{"kind": owner}]}}

    pods = [pod("web", "ReplicaSet"), pod("migration", "Job")]

    assert [p["metadata"]["name"] for p in workloads.serving_pods(pods)] == ["web"]
