"""deploykit.clusters.workloads: which pods serve (owned by a ReplicaSet or StatefulSet, not being
deleted)."""

from deploykit.clusters import workloads


def pod(name: str, created: str, ready: str | None, owner: str = "ReplicaSet") -> dict:
    conditions = [{"type": "Ready", "status": "True", "lastTransitionTime": ready}] if ready else []
    labels = {"app.kubernetes.io/component": "backend"}
    return {"metadata": {"name": name, "creationTimestamp": created, "labels": labels,
                         "ownerReferences": [{"kind": owner}]},
            "status": {"conditions": conditions}}


def test_pod_startup_measures_only_serving_pods():
    pods = [pod("web", "2026-01-01T00:00:00Z", None), pod("migration", "2026-01-01T00:00:00Z", None, owner="Job")]

    assert [p["metadata"]["name"] for p in workloads.serving_pods(pods)] == ["web"]

