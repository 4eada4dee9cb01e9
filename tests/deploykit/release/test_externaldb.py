"""deploykit.release.externaldb's firewall on a stand-in StatefulSet, judged by the render layer's
NetworkPolicy evaluator: like a managed database's, it admits the client release's backend and
migration pods on the database's port, and nobody else."""

from deploykit.chart.manifests import Manifest, Rendering
from deploykit.chart.networkpolicy import OUTSIDE, allows
from deploykit.release import externaldb

SERVER_LABELS = {"app.kubernetes.io/instance": "externaldb", "app.kubernetes.io/component": "postgresql"}
STATEFULSET = {"kind": "StatefulSet", "spec": {
    "selector": {"matchLabels": SERVER_LABELS},
    "template": {"spec": {"containers": [{"ports": [{"name": "postgresql", "containerPort": 5432}]}]}}}}


def client(component: str, release: str = "todo") -> dict:
    return {"app.kubernetes.io/instance": release, "app.kubernetes.io/component": component}


def test_the_database_admits_only_the_client_releases_backend_and_migration():
    rendering = Rendering((Manifest(externaldb.firewall(STATEFULSET, "todo")),))

    assert allows(rendering, client("backend"), SERVER_LABELS, 5432)
    assert allows(rendering, client("migration"), SERVER_LABELS, 5432)
    assert not allows(rendering, client("frontend"), SERVER_LABELS, 5432)
    assert not allows(rendering, client("backend", release="other"), SERVER_LABELS, 5432)
    assert not allows(rendering, {"app": "unrelated"}, SERVER_LABELS, 5432)
    assert not allows(rendering, OUTSIDE, SERVER_LABELS, 5432)
    assert not allows(rendering, client("backend"), SERVER_LABELS, 22)
