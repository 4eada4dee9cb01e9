"""The edge a production cluster puts in front of the app, on the test cluster: Traefik (built by
traefikbuild, imaged as localhost/todo-edge/traefik:<version>) as the Gateway API controller, and
the Gateway that values-production.yaml's HTTPRoute names (its parentRefs: name, namespace and
HTTPS listener), terminating TLS with a certificate made by the caller. Installed into that
namespace, which is also the one values-production.yaml's NetworkPolicy admits to the frontend;
`removed` takes away only what `install` created."""

import contextlib
import json
from collections.abc import Iterator
from dataclasses import dataclass

import yaml

from deploykit.clusters import workloads
from deploykit.edge import traefikbuild
from deploykit.edge.certificate import ServerCertificate
from deploykit.foundation.log import logger
from deploykit.images.build import build_inline
from deploykit.tools import gatewayapi
from deploykit.tools.kubectl import Kubectl

IMAGE_REPOSITORY = "localhost/todo-edge/traefik"
NAME = "todo-edge-traefik"  # the controller's Deployment, Service, account and cluster role
GATEWAY_CLASS = "todo-edge-traefik"
CONTROLLER_NAME = "traefik.io/gateway-controller"
TLS_SECRET = "todo-edge-tls"
HTTPS_PORT = 8443  # the entry point; a Gateway listener names the entry point by its port
PING_PORT = 9000
SERVICE_PORT = 443
READY_TIMEOUT_S = 120
ARGS = (
    # Traefik asks its vendor for updates and sends usage data unless told not to.
    "--global.checkNewVersion=false", "--global.sendAnonymousUsage=false",
    f"--entryPoints.websecure.address=:{HTTPS_PORT}", f"--entryPoints.traefik.address=:{PING_PORT}",
    # No statusAddress: the Gateway is reached through a forward, and it has no address to report.
    "--ping=true", "--providers.kubernetesgateway=true",
    "--log.format=json", "--accesslog=true", "--accesslog.format=json",
)


def image(client) -> str:
    """The controller's image: the static binary alone, as a non-root user."""
    binary = traefikbuild.traefik_binary()
    tag = f"{IMAGE_REPOSITORY}:{traefikbuild.VERSION}-{binary.parent.name.rsplit('-', 1)[-1]}"
    if not client.images.list(name=tag):
        logger.info(f"building {tag} ...")
        build_inline(client, tag, (
            f"FROM scratch\nCOPY traefik /traefik\nUSER 65532:65532\nEXPOSE {HTTPS_PORT}\n"
            f'LABEL org.opencontainers.image.version="{traefikbuild.VERSION}" '
            'org.opencontainers.image.source="https://github.com/traefik/traefik"\n'
            'ENTRYPOINT ["/traefik"]\n'), files=(binary,))
    return tag


@dataclass(frozen=True)
class GatewayRef:
    """The Gateway a route's parentRef names."""

    name: str
    namespace: str
    listener: str

    @classmethod
    def of_route(cls, values: dict) -> "GatewayRef":
        parent = values["httpRoute"]["parentRefs"][0]
        return cls(parent["name"], parent["namespace"], parent["sectionName"])


def _rbac(namespace: str) -> list[dict]:
    read = ["get", "list", "watch"]
    kinds = ["gatewayclasses", "gateways", "httproutes", "grpcroutes", "tlsroutes", "referencegrants",
             "backendtlspolicies"]
    rules = [
        {"apiGroups": [""], "resources": ["namespaces"], "verbs": ["list", "watch"]},
        {"apiGroups": [""], "resources": ["services", "secrets", "configmaps"], "verbs": read},
        {"apiGroups": ["discovery.k8s.io"], "resources": ["endpointslices"], "verbs": ["list", "watch"]},
        {"apiGroups": [gatewayapi.GROUP], "resources": kinds, "verbs": read},
        {"apiGroups": [gatewayapi.GROUP], "resources": [f"{k}/status" for k in kinds], "verbs": ["update"]},
    ]
    return [
        {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": NAME, "namespace": namespace}},
        {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole", "metadata": {"name": NAME},
         "rules": rules},
        {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding", "metadata": {"name": NAME},
         "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": NAME},
         "subjects": [{"kind": "ServiceAccount", "name": NAME, "namespace": namespace}]},
    ]


def _controller(namespace: str, image_ref: str, pull_policy: str) -> list[dict]:
    labels = {"app.kubernetes.io/name": "traefik", "app.kubernetes.io/instance": NAME}
    container = {
        "name": "traefik", "image": image_ref, "imagePullPolicy": pull_policy, "args": list(ARGS),
        "ports": [{"name": "websecure", "containerPort": HTTPS_PORT}, {"name": "ping", "containerPort": PING_PORT}],
        "readinessProbe": {"httpGet": {"path": "/ping", "port": "ping"}, "periodSeconds": 2},
        "livenessProbe": {"httpGet": {"path": "/ping", "port": "ping"}, "periodSeconds": 10},
        "resources": {"requests": {"cpu": "100m", "memory": "64Mi"}, "limits": {"cpu": "1", "memory": "256Mi"}},
        "securityContext": {"allowPrivilegeEscalation": False, "readOnlyRootFilesystem": True,
                            "capabilities": {"drop": ["ALL"]}},
    }
    return [
        {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": NAME, "namespace": namespace},
         "spec": {"replicas": 1, "selector": {"matchLabels": labels}, "template": {
             "metadata": {"labels": labels},
             "spec": {"serviceAccountName": NAME, "containers": [container],
                      "securityContext": {"runAsNonRoot": True, "runAsUser": 65532, "runAsGroup": 65532,
                                          "seccompProfile": {"type": "RuntimeDefault"}}}}}},
        {"apiVersion": "v1", "kind": "Service", "metadata": {"name": NAME, "namespace": namespace},
         "spec": {"selector": labels, "ports": [{"name": "https", "port": SERVICE_PORT, "targetPort": "websecure"}]}},
    ]


def _gateway(ref: GatewayRef, hostname: str) -> list[dict]:
    return [
        {"apiVersion": f"{gatewayapi.GROUP}/v1", "kind": "GatewayClass", "metadata": {"name": GATEWAY_CLASS},
         "spec": {"controllerName": CONTROLLER_NAME}},
        {"apiVersion": f"{gatewayapi.GROUP}/v1", "kind": "Gateway",
         "metadata": {"name": ref.name, "namespace": ref.namespace},
         "spec": {"gatewayClassName": GATEWAY_CLASS, "listeners": [{
             "name": ref.listener, "protocol": "HTTPS", "port": HTTPS_PORT, "hostname": hostname,
             "tls": {"mode": "Terminate", "certificateRefs": [{"kind": "Secret", "name": TLS_SECRET}]},
             # The app's route lives in the release's namespace, not the Gateway's.
             "allowedRoutes": {"namespaces": {"from": "All"}}}]}},
    ]


@dataclass
class Edge:
    kubectl: Kubectl
    gateway: GatewayRef
    certificate: ServerCertificate
    created_namespace: bool

    def route_status(self, namespace: str, route: str) -> dict:
        """The route's status as this Gateway's controller wrote it: {condition type: (status, reason, message)}."""
        status = self.kubectl.get_json("httproute", route, "-n", namespace).get("status", {})
        for parent in status.get("parents", []):
            ref = parent.get("parentRef", {})
            if ref.get("name") == self.gateway.name and parent.get("controllerName") == CONTROLLER_NAME:
                return {c["type"]: (c["status"], c.get("reason", ""), c.get("message", ""))
                        for c in parent.get("conditions", [])}
        return {}

    def listener_status(self) -> dict:
        gateway = self.kubectl.get_json("gateway", self.gateway.name, "-n", self.gateway.namespace)
        for listener in gateway.get("status", {}).get("listeners", []):
            if listener["name"] == self.gateway.listener:
                return {c["type"]: c["status"] for c in listener.get("conditions", [])}
        return {}


def _namespace_exists(kubectl: Kubectl, namespace: str) -> bool:
    return kubectl("get", "namespace", namespace, check=False).succeeded


@contextlib.contextmanager
def installed(kubectl: Kubectl, image_ref: str, pull_policy: str, gateway: GatewayRef,
              certificate: ServerCertificate) -> Iterator[Edge]:
    """The controller Ready and the Gateway accepted for the block; removed afterwards."""
    created = not _namespace_exists(kubectl, gateway.namespace)
    edge = Edge(kubectl, gateway, certificate, created)
    try:
        gatewayapi.apply_crds(kubectl, gatewayapi.CRDS)
        if created:
            kubectl("create", "namespace", gateway.namespace)
        documents = [*_rbac(gateway.namespace), certificate.tls_secret(TLS_SECRET, gateway.namespace),
                     *_controller(gateway.namespace, image_ref, pull_policy), *_gateway(gateway, certificate.hostname)]
        kubectl.apply(yaml.safe_dump_all(documents, sort_keys=False))
        kubectl("-n", gateway.namespace, "rollout", "status", f"deployment/{NAME}", f"--timeout={READY_TIMEOUT_S}s",
                timeout=READY_TIMEOUT_S + 30)
        workloads.wait_for(lambda: edge.listener_status().get("Programmed") == "True",
                           f"Gateway {gateway.namespace}/{gateway.name} listener {gateway.listener} programmed",
                           READY_TIMEOUT_S)
        yield edge
    finally:
        removed(kubectl, edge)


def removed(kubectl: Kubectl, edge: Edge) -> None:
    namespace = edge.gateway.namespace
    if edge.created_namespace:
        kubectl("delete", "namespace", namespace, "--wait=false", check=False)
    else:
        kubectl("-n", namespace, "delete", f"gateway/{edge.gateway.name}", f"deployment/{NAME}", f"service/{NAME}",
                f"serviceaccount/{NAME}", f"secret/{TLS_SECRET}", "--ignore-not-found", check=False)
    kubectl("delete", f"clusterrolebinding/{NAME}", f"clusterrole/{NAME}", f"gatewayclass/{GATEWAY_CLASS}",
            "--ignore-not-found", check=False)


def controller_logs(kubectl: Kubectl, namespace: str, lines: int = 40) -> str:
    """The controller's last log lines, for a failure message."""
    result = kubectl("-n", namespace, "logs", f"deployment/{NAME}", f"--tail={lines}", check=False)
    return "\n".join(_short(line) for line in result.stdout.splitlines())


def _short(line: str) -> str:
    try:
        entry = json.loads(line)
    except ValueError:
        return line
    return " ".join(f"{k}={entry[k]}" for k in ("level", "msg", "error", "RequestPath", "DownstreamStatus")
                    if k in entry)
