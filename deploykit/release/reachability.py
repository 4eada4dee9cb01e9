"""The NetworkPolicy matrix a production release promises, cell by cell (source, destination,
must it connect), measured by real connection attempts from pods (connectprobe.py), and the cells
a measurement contradicts.

Sources are who may try: the release's own components, stood in by pods wearing their selector
labels (so the release's egress policies bind them as they bind the real pods), its helm test
pods, a pod of another app in the release's namespace, a pod in a namespace unrelated to the
release, and one in each namespace frontendIngressFrom admits (where the ingress controller's
proxies would run: no controller is needed to stand in for them). Destinations are the frontend
and backend Services, the stand-in external database (externaldb.py: its own policy admits only
the backend and the migration Job, as a managed database's firewall would) and the cluster DNS.
"""

import contextlib
from dataclasses import dataclass, field

import yaml

from deploykit.foundation.constants import HELM_TEST_COMPONENT
from deploykit.foundation.errors import ClusterOperationFailed
from deploykit.release import connectprobe, externaldb
from deploykit.release.helmrelease import Release
from deploykit.tools.kubectl import Kubectl

FRONTEND, BACKEND, DATABASE, DNS = "frontend", "backend", "database", "dns"
DESTINATIONS = (FRONTEND, BACKEND, DATABASE, DNS)
MIGRATION, HELM_TEST = "migration", "helm-test"
UNRELATED_POD, UNRELATED_NAMESPACE = "unrelated-pod", "unrelated-namespace"
# The namespace the unrelated source's probe runs in (created for it when absent).
UNRELATED_NAMESPACE_NAME = "deploykit-unrelated"
NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name"  # set by the API server on every namespace
DNS_ADDRESS = "nameserver:53"  # the probe pod's own resolver (connectprobe_pod.py), over TCP

# Where each of the release's pods may open connections: its egress policy (DNS for all).
EGRESS = {
    FRONTEND: {BACKEND, DNS},
    BACKEND: {DATABASE, DNS},
    MIGRATION: {DATABASE, DNS},
    HELM_TEST: {FRONTEND, BACKEND, DNS},
}
# Who may connect to each destination but the frontend (whose sources depend on the values) and
# DNS (anyone): its ingress policy.
INGRESS = {
    BACKEND: {FRONTEND, HELM_TEST},
    DATABASE: {BACKEND, MIGRATION},
}


@dataclass(frozen=True)
class Source:
    name: str
    #: The namespace its probe runs in; None: the release's.
    namespace: str | None = None
    #: The release component whose selector labels its probe wears (None: none of the release's).
    component: str | None = None
    #: Further labels (an ingress peer's podSelector), as (key, value) pairs.
    labels: tuple[tuple[str, str], ...] = field(default=())


@dataclass(frozen=True)
class Cell:
    source: str
    destination: str
    expected: bool  # True: the connection must open; False: it must not

    @property
    def label(self) -> str:
        return f"{self.source} -> {self.destination}"

    def __str__(self) -> str:  # the cell's test id
        return f"{self.source}-to-{self.destination}-{'open' if self.expected else 'closed'}"


def ingress_sources(values: dict) -> list[Source]:
    """One source per frontendIngressFrom peer, in the namespace it names; [] when the frontend
    is open to every source. ValueError for a peer no pod can stand in for (an ipBlock, or a
    namespace chosen by other labels than its name)."""
    policy = values.get("networkPolicy", {})
    if not policy.get("enabled", True):
        raise ValueError("networkPolicy.enabled is false: there is no NetworkPolicy matrix to measure")
    found = []
    for peer in policy.get("frontendIngressFrom") or []:
        namespaces = peer.get("namespaceSelector") or {}
        pods = peer.get("podSelector") or {}
        namespace = (namespaces.get("matchLabels") or {}).get(NAMESPACE_NAME_LABEL)
        if not namespace or "ipBlock" in peer or namespaces.get("matchExpressions") or pods.get("matchExpressions"):
            raise ValueError(f"frontendIngressFrom peer {peer} does not name its namespace by {NAMESPACE_NAME_LABEL} "
                             "(with matchLabels only): no pod can stand in for it")
        labels = tuple(sorted((pods.get("matchLabels") or {}).items()))
        found.append(Source(f"ingress-{namespace}", namespace, labels=labels))
    return found


def sources(values: dict) -> list[Source]:
    """Every source of the matrix, the ingress's first."""
    return [
        *ingress_sources(values),
        Source(UNRELATED_NAMESPACE, UNRELATED_NAMESPACE_NAME),
        Source(UNRELATED_POD),
        Source(FRONTEND, component=FRONTEND),
        Source(BACKEND, component=BACKEND),
        Source(MIGRATION, component=MIGRATION),
        Source(HELM_TEST, component=HELM_TEST_COMPONENT),
    ]


def expected_matrix(values: dict) -> list[Cell]:
    """Every source against every destination: a connection opens only where the source may send
    it (the release's pods are bound by their egress policies, others by none) and the
    destination admits it. The frontend admits the helm test pods and frontendIngressFrom's
    namespaces, or anyone when that list is empty."""
    every = sources(values)
    ingress = ingress_sources(values)
    admitted = {**INGRESS, FRONTEND: {HELM_TEST, *(s.name for s in ingress)} if ingress else {s.name for s in every},
                DNS: {s.name for s in every}}
    return [Cell(source.name, destination, destination in EGRESS.get(source.name, DESTINATIONS)
                 and source.name in admitted[destination])
            for source in every for destination in DESTINATIONS]


def mismatched(cells: list[Cell], measured: dict[tuple[str, str], connectprobe.Attempt]) -> list[Cell]:
    """The cells whose measured connection (or its absence) is not what they expect."""
    return [cell for cell in cells if (cell.source, cell.destination) not in measured
            or measured[(cell.source, cell.destination)].connected != cell.expected]


def findings(cells: list[Cell], measured: dict[tuple[str, str], connectprobe.Attempt]) -> list[str]:
    """A sentence per mismatched cell, naming it and what the probe saw."""
    found = []
    for cell in mismatched(cells, measured):
        attempt = measured.get((cell.source, cell.destination))
        seen = attempt.describe() if attempt else "it was never probed"
        found.append(f"{cell.label}: must {'connect' if cell.expected else 'stay closed'}, but {seen}")
    return found


ALLOW_ALL_INGRESS = "allow-all-ingress"


def allow_all_ingress() -> dict:
    """A NetworkPolicy admitting every connection to every pod of its namespace: a stray policy's
    loosening (a chart's or an operator's), which no other policy can undo, since policies only
    ever add what they allow."""
    return {"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy", "metadata": {"name": ALLOW_ALL_INGRESS},
            "spec": {"podSelector": {}, "policyTypes": ["Ingress"], "ingress": [{}]}}


@contextlib.contextmanager
def allowing_all_ingress(kubectl: Kubectl, namespace: str):
    """allow_all_ingress() in namespace for the block; deleted afterwards, whatever happened."""
    kubectl.apply(yaml.safe_dump(allow_all_ingress()), namespace)
    try:
        yield
    finally:
        kubectl("delete", "networkpolicy", ALLOW_ALL_INGRESS, "-n", namespace)


class Prober:
    """Probes from a release's matrix sources to its destinations. As a context manager it
    creates the namespaces the sources need and deletes, afterwards, only those it created."""

    def __init__(self, release: Release, values: dict):
        self.release, self.by_name = release, {source.name: source for source in sources(values)}
        self.created: list[str] = []

    def __enter__(self) -> "Prober":
        kubectl = self.release.kubectl
        for namespace in sorted({s.namespace for s in self.by_name.values() if s.namespace}):
            if not kubectl("get", "namespace", namespace, check=False).succeeded:
                kubectl("create", "namespace", namespace)
                self.created.append(namespace)
        return self

    def __exit__(self, *_) -> None:
        # Waiting, so a later run never finds the namespace still terminating and uses it.
        for namespace in self.created:
            self.release.kubectl("delete", "namespace", namespace, "--timeout=120s", check=False, timeout=150)

    def destinations(self) -> dict[str, str]:
        """host:port of each destination, as a client would connect: a Service's ClusterIP, or
        for a headless Service (the database's) its pod's address."""
        release = self.release
        return {FRONTEND: service_address(release, release.selector(FRONTEND)),
                BACKEND: service_address(release, release.selector(BACKEND)),
                DATABASE: service_address(release, externaldb.SELECTOR),
                DNS: DNS_ADDRESS}

    def probe(self, source_names: set[str] | None = None) -> dict[tuple[str, str], connectprobe.Attempt]:
        """Every (or each named) source's attempt at every destination."""
        release = self.release
        image, pull_policy = release.container_image("backend")
        probes = [connectprobe.ProbePod(source.name, source.namespace or release.namespace,
                                        tuple(sorted(self.labels(source).items())))
                  for source in self.by_name.values() if source_names is None or source.name in source_names]
        return connectprobe.run(release.kubectl, probes, image, pull_policy, self.destinations())

    def labels(self, source: Source) -> dict:
        own = self.release.selector_labels(source.component) if source.component else {}
        return {**own, **dict(source.labels)}


def service_address(release: Release, selector: str) -> str:
    """host:port a client of the one Service that selector selects in release's namespace
    connects to: its ClusterIP and port, or for a headless Service its first endpoint's."""
    kubectl, namespace = release.kubectl, release.namespace
    services = kubectl.get_json("services", "-n", namespace, "-l", selector)["items"]
    if len(services) != 1:
        raise ClusterOperationFailed(f"{len(services)} Services match {selector} in {namespace}, expected 1")
    service = services[0]
    if service["spec"]["clusterIP"] != "None":
        return f"{service['spec']['clusterIP']}:{service['spec']['ports'][0]['port']}"
    slices = kubectl.get_json("endpointslices", "-n", namespace,
                              "-l", f"kubernetes.io/service-name={service['metadata']['name']}")["items"]
    for endpoint_slice in slices:
        for endpoint in endpoint_slice.get("endpoints") or []:
            return f"{endpoint['addresses'][0]}:{endpoint_slice['ports'][0]['port']}"
    raise ClusterOperationFailed(f"headless Service {service['metadata']['name']} in {namespace} has no endpoint")
