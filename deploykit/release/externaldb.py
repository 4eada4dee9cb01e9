"""What values-production.yaml expects to find before install, provided on a test cluster: the
Secrets it names (an app Secret with JWT_SECRET, a database Secret with DATABASE_URL) and a
PostgreSQL behind that URL, so the production values install unchanged.

The database is the chart's own in-cluster PostgreSQL, rendered from the test values under a
release name of its own and applied with kubectl: the same image, UID and hardening the provider
needs, and the chart's Secret supplies the URL and a generated JWT key. Like a managed database's
firewall, a NetworkPolicy of its own admits only the client release's backend and migration pods:
what production isolates outside the chart is isolated here too, so a NetworkPolicy matrix
(reachability.py) finds the database closed to everyone else.
"""

import base64
from pathlib import Path

import yaml

from deploykit.clusters import workloads
from deploykit.foundation import constants, paths
from deploykit.tools.helm import Helm
from deploykit.tools.kubectl import Kubectl

NAME = "externaldb"
TEMPLATES = ("templates/serviceaccount.yaml", "templates/secret.yaml", "templates/postgresql/service.yaml",
             "templates/postgresql/statefulset.yaml")
READY_TIMEOUT_S = 120
#: The stand-in database's pods and Service.
SELECTOR = constants.selector(NAME, "postgresql")
#: The components of the client release that use the database.
CLIENTS = ("backend", "migration")


def _secret(name: str, data: dict) -> dict:
    return {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": name}, "type": "Opaque",
            "data": {key: base64.b64encode(value.encode()).decode() for key, value in data.items()}}


def firewall(statefulset: dict, clients: str) -> dict:
    """A NetworkPolicy letting only release `clients`' backend and migration pods reach the
    database's port."""
    template = statefulset["spec"]["template"]["spec"]
    port = next(p["containerPort"] for p in template["containers"][0]["ports"])
    return {"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy", "metadata": {"name": f"{NAME}-clients"},
            "spec": {"podSelector": statefulset["spec"]["selector"], "policyTypes": ["Ingress"],
                     "ingress": [{"from": [{"podSelector": {
                         "matchLabels": {constants.INSTANCE_LABEL: clients},
                         "matchExpressions": [{"key": constants.COMPONENT_LABEL, "operator": "In",
                                               "values": list(CLIENTS)}]}}],
                                  "ports": [{"port": port, "protocol": "TCP"}]}]}}


def provide(kubectl: Kubectl, helm: Helm, namespace: str, production_values: Path, test_values: list[Path],
            clients: str) -> None:
    """Start the database, reachable by release `clients`' backend and migration only, and create
    the Secrets production_values names; returns once the database is ready."""
    rendered = list(yaml.safe_load_all(helm.template(paths.CHART, NAME, namespace=namespace, values=test_values,
                                                     show_only=TEMPLATES)))
    chart_secret = next(doc for doc in rendered if doc and doc["kind"] == "Secret")
    generated = {key: base64.b64decode(value).decode() for key, value in chart_secret["data"].items()}
    production = yaml.safe_load(production_values.read_text())
    secrets = [
        _secret(production["secrets"]["existingSecret"], {"JWT_SECRET": generated["JWT_SECRET"]}),
        _secret(production["externalDatabase"]["existingSecret"],
                {production["externalDatabase"].get("existingSecretKey", "DATABASE_URL"): generated["DATABASE_URL"]}),
    ]
    statefulset = next(doc for doc in rendered if doc and doc["kind"] == "StatefulSet")
    kubectl.apply(yaml.safe_dump_all([doc for doc in rendered if doc] + secrets + [firewall(statefulset, clients)]),
                  namespace)
    server = f"{statefulset['metadata']['name']}-0"
    workloads.wait_for(lambda: workloads.is_ready(workloads.pod(kubectl, namespace, server)),
                       f"the stand-in external database {server} becoming Ready", READY_TIMEOUT_S)
