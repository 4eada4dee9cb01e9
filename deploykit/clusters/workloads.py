"""What the cluster layer reads and awaits on a release's workloads: pods by label, readiness and
restarts, the endpoints a Service routes to, settled rollouts; and the ways a pod is taken away
(deletion, eviction through the Eviction API, which honours PodDisruptionBudgets, and a node
drain, which evicts every pod of a node that way)."""

import contextlib
import json

from deploykit.foundation.errors import ClusterOperationFailed, CommandFailed
from deploykit.foundation.waits import WaitTimeout, wait_until
from deploykit.tools.kubectl import Kubectl


def pods(kubectl: Kubectl, namespace: str, selector: str) -> list[dict]:
    return kubectl.get_json("pods", "-n", namespace, "-l", selector)["items"]


def pod(kubectl: Kubectl, namespace: str, name: str) -> dict:
    return kubectl.get_json("pod", name, "-n", namespace)


def is_ready(pod: dict) -> bool:
    conditions = pod.get("status", {}).get("conditions", [])
    return any(c["type"] == "Ready" and c["status"] == "True" for c in conditions)


def restart_count(pod: dict) -> int:
    return sum(status.get("restartCount", 0) for status in pod.get("status", {}).get("containerStatuses", []))


# Pods owned by these serve traffic; hook, test and load generator pods never do.
SERVING_OWNERS = ("ReplicaSet", "StatefulSet")


def serving_pods(pods: list[dict]) -> list[dict]:
    """The pods that serve (owned by a ReplicaSet or a StatefulSet), not being deleted."""
    return [p for p in pods if not p["metadata"].get("deletionTimestamp")
            and any(o["kind"] in SERVING_OWNERS for o in p["metadata"].get("ownerReferences", []))]


def ready_pods_of_slice(endpoint_slice: dict) -> set[str]:
    """Pods an EndpointSlice routes new connections to: its endpoints whose `ready` condition is
    true (a terminating pod is not ready, even while it still serves)."""
    return {endpoint["targetRef"]["name"] for endpoint in endpoint_slice.get("endpoints") or []
            if endpoint.get("conditions", {}).get("ready") and endpoint.get("targetRef")}


def ready_endpoint_pods(kubectl: Kubectl, namespace: str, service: str) -> set[str]:
    slices = kubectl.get_json("endpointslices", "-n", namespace, "-l", f"kubernetes.io/service-name={service}")
    return set().union(*(ready_pods_of_slice(item) for item in slices["items"]))


def wait_for(condition, what: str, timeout: float, interval: float = 1.0):
    """wait_until, failing with ClusterOperationFailed (what was awaited, for how long)."""
    try:
        return wait_until(condition, what=what, timeout=timeout, interval=interval)
    except WaitTimeout as exc:
        raise ClusterOperationFailed(str(exc)) from None


def rollout_settled(kubectl: Kubectl, namespace: str, deployment: str, selector: str) -> bool:
    """The Deployment runs only pods of its current template, all of them available, and no old
    pod is still shutting down (traffic must be watched until the last one is gone)."""
    status = kubectl.get_json("deployment", deployment, "-n", namespace)
    wanted = status["spec"].get("replicas", 1)
    current = status.get("status", {})
    if current.get("observedGeneration", 0) < status["metadata"]["generation"]:
        return False
    counts = [current.get(key, 0) for key in ("replicas", "updatedReplicas", "readyReplicas", "availableReplicas")]
    if counts != [wanted] * 4:
        return False
    return all(not p["metadata"].get("deletionTimestamp") for p in pods(kubectl, namespace, selector))


def wait_rollout_settled(kubectl: Kubectl, namespace: str, deployment: str, selector: str, timeout: float) -> None:
    wait_for(lambda: rollout_settled(kubectl, namespace, deployment, selector),
             f"rollout of deployment/{deployment} settling (all pods new and available, none terminating)", timeout)


def wait_ready_replicas(kubectl: Kubectl, namespace: str, deployment: str, count: int, timeout: float) -> None:
    wait_for(lambda: kubectl.get_json("deployment", deployment, "-n", namespace)["status"].get("readyReplicas", 0)
             >= count, f"deployment/{deployment} reaching {count} ready replicas", timeout)


def delete_pod(kubectl: Kubectl, namespace: str, name: str) -> None:
    """Delete as a person or a node failure would: with the pod's own grace period, not waiting."""
    kubectl("delete", "pod", name, "-n", namespace, "--wait=false")


def evict_pod(kubectl: Kubectl, namespace: str, name: str) -> bool:
    """Ask the Eviction API to evict a pod; False when a PodDisruptionBudget forbids it now
    (HTTP 429), which is what a node drain would be told."""
    body = json.dumps({"apiVersion": "policy/v1", "kind": "Eviction",
                       "metadata": {"name": name, "namespace": namespace}})
    try:
        kubectl("create", "--raw", f"/api/v1/namespaces/{namespace}/pods/{name}/eviction", "-f", "-", input=body)
    except CommandFailed as failed:
        if "TooManyRequests" in failed.stderr or "disruption budget" in failed.stderr:
            return False
        raise ClusterOperationFailed(f"evicting pod {name}: {failed.stderr.strip()[-300:]}") from None
    return True


def scale(kubectl: Kubectl, namespace: str, workload: str, replicas: int) -> None:
    kubectl("scale", workload, "-n", namespace, f"--replicas={replicas}")


# kubectl drain's own --timeout bounds the wait for budgets; the process gets a margin beyond it.
_DRAIN_MARGIN_S = 30


def drain(kubectl: Kubectl, node: str, timeout: float, pod_selector: str | None = None) -> None:
    """Cordon node and evict its pods through the Eviction API, as maintenance would: a pod whose
    PodDisruptionBudget allows no disruption now is retried until it does (or timeout). Only pods
    that pod_selector matches are evicted when it is given; the node is cordoned all the same.
    DaemonSet pods stay (they would be recreated at once) and emptyDir data goes with its pod."""
    selector = [f"--pod-selector={pod_selector}"] if pod_selector else []
    try:
        kubectl("drain", node, "--ignore-daemonsets", "--delete-emptydir-data", f"--timeout={int(timeout)}s",
                *selector, timeout=timeout + _DRAIN_MARGIN_S)
    except CommandFailed as failed:
        raise ClusterOperationFailed(f"draining node {node} (within {timeout:g} s): "
                                     f"{failed.stderr.strip()[-500:]}") from None


@contextlib.contextmanager
def uncordoned_afterwards(kubectl: Kubectl, node: str):
    """Whatever happens in the block (a drain that timed out included), node takes pods again
    after it, so no later test runs on a cluster short of a node."""
    try:
        yield
    finally:
        kubectl("uncordon", node)
