"""Name why a pod is failing, from its JSON and its events: a bad image tag, a failing probe (with
the request it makes), OOMKilled, a crash loop with its exit code, a configuration error, or no
room to schedule it. Pure functions over what `kubectl get pods/events -o json` returns, so the
rules are tested on captured objects and reused by the diagnostics report, the AI fallbacks and
the MCP server alike."""

import re
from dataclasses import dataclass

from deploykit.clusters import workloads

IMAGE_REASONS = ("ErrImageNeverPull", "ImagePullBackOff", "ErrImagePull", "InvalidImageName")
CONFIG_REASONS = ("CreateContainerConfigError", "CreateContainerError", "RunContainerError")
PROBES = ("Readiness", "Liveness", "Startup")
_CONTAINER_FIELD = re.compile(r"spec\.(?:init)?[cC]ontainers\{(.+)\}")


@dataclass(frozen=True)
class Cause:
    pod: str
    container: str | None
    title: str  # what went wrong, in a few words: "bad image tag", "readiness probe failing"
    detail: str  # what was seen, and what it does to the pod

    def __str__(self) -> str:
        where = f"{self.pod} [{self.container}]" if self.container else self.pod
        return f"{where}: {self.title}: {self.detail}"


@dataclass(frozen=True)
class ProbeFailure:
    pod: str
    container: str | None
    probe: str  # "Readiness", "Liveness" or "Startup"
    message: str  # the kubelet's, e.g. "HTTP probe failed with statuscode: 404"
    count: int
    last_seen: str

    def __str__(self) -> str:
        return (f"{self.pod} [{self.container}]: {self.probe} probe failed {self.count}x (last {self.last_seen}): "
                f"{self.message}")


def _statuses(pod: dict) -> list[dict]:
    status = pod.get("status", {})
    return status.get("initContainerStatuses", []) + status.get("containerStatuses", [])


def _spec_container(pod: dict, name: str) -> dict:
    spec = pod.get("spec", {})
    return next((c for c in spec.get("initContainers", []) + spec.get("containers", []) if c["name"] == name), {})


def probe_request(probe: dict) -> str:
    """What a probe asks, as a person would say it: "GET /readyz on port http"."""
    if "httpGet" in probe:
        return f"GET {probe['httpGet'].get('path', '/')} on port {probe['httpGet'].get('port')}"
    if "tcpSocket" in probe:
        return f"TCP connect to port {probe['tcpSocket'].get('port')}"
    if "grpc" in probe:
        return f"gRPC health check on port {probe['grpc'].get('port')}"
    if "exec" in probe:
        return f"exec {' '.join(probe['exec'].get('command', []))!r}"
    return "an unknown check"


def probe_failures(pod: dict, events: list[dict]) -> list[ProbeFailure]:
    """The pod's failed-probe events (reason Unhealthy), one per container and probe kind."""
    failures: dict[tuple[str | None, str], ProbeFailure] = {}
    for event in events:
        involved = event.get("involvedObject", {})
        if event.get("reason") != "Unhealthy" or involved.get("name") != pod["metadata"]["name"]:
            continue
        probe, _, message = event.get("message", "").partition(" probe failed: ")
        if probe not in PROBES:
            continue
        field = _CONTAINER_FIELD.fullmatch(involved.get("fieldPath", ""))
        container = field.group(1) if field else None
        count = event.get("count") or (event.get("series") or {}).get("count") or 1
        last = event.get("lastTimestamp") or event.get("eventTime") or ""
        key = (container, probe)
        if key in failures:  # several events for one probe: add their counts, keep the newest message
            earlier = failures[key]
            count += earlier.count
            message, last = (message, last) if last >= earlier.last_seen else (earlier.message, earlier.last_seen)
        failures[key] = ProbeFailure(pod["metadata"]["name"], container, probe, message.strip(), count, last)
    return list(failures.values())


def _probe_cause(pod: dict, failure: ProbeFailure, status: dict) -> Cause | None:
    """A probe failure is the cause only while it still matters: readiness while the container is
    not ready, liveness once it restarted the container, startup while the container has not started."""
    restarts = status.get("restartCount", 0)
    effect = {
        "Readiness": (not status.get("ready"), "the pod is kept out of its Service's endpoints"),
        "Liveness": (restarts > 0, f"the kubelet restarted the container {restarts} time(s)"),
        "Startup": (not status.get("started") or restarts > 0, "the container is restarted when the budget runs out"),
    }[failure.probe]
    if not effect[0]:
        return None
    probe = _spec_container(pod, failure.container or "").get(f"{failure.probe.lower()}Probe", {})
    return Cause(failure.pod, failure.container, f"{failure.probe.lower()} probe failing",
                 f"{probe_request(probe)} failed {failure.count}x ({failure.message}); {effect[1]}")


def _terminated(status: dict) -> dict:
    """The container's latest end: the current state's when it is stopped, else the previous run's."""
    return status.get("state", {}).get("terminated") or status.get("lastState", {}).get("terminated") or {}


def _container_cause(pod: dict, status: dict, restarted_by_probe: bool) -> Cause | None:
    name, container = pod["metadata"]["name"], status["name"]
    spec = _spec_container(pod, container)
    waiting = status.get("state", {}).get("waiting") or {}
    ended = _terminated(status)
    restarts = status.get("restartCount", 0)
    if waiting.get("reason") in IMAGE_REASONS:
        seen = f": {waiting['message']}" if waiting.get("message") else ""
        return Cause(name, container, "bad image tag",
                     f"image {spec.get('image', status.get('image'))} cannot be used "
                     f"(pull policy {spec.get('imagePullPolicy', 'default')}), {waiting['reason']}{seen}; "
                     "check the tag, or load the image into the node")
    if waiting.get("reason") in CONFIG_REASONS:
        return Cause(name, container, "container configuration error", waiting.get("message") or waiting["reason"])
    if ended.get("reason") == "OOMKilled":
        limit = (spec.get("resources", {}).get("limits") or {}).get("memory", "none")
        return Cause(name, container, "out of memory (OOMKilled)",
                     f"the container used more than its memory limit ({limit}) and was killed "
                     f"(exit code {ended.get('exitCode')}, {restarts} restart(s)); raise the limit or find the leak")
    if restarted_by_probe:
        return None  # the probe failure says why it restarts; its exit code would mislead
    if waiting.get("reason") == "CrashLoopBackOff":
        return Cause(name, container, "crash loop (CrashLoopBackOff)",
                     f"the container exits with code {ended.get('exitCode', '?')} ({ended.get('reason', 'unknown')}) "
                     f"and has been restarted {restarts} time(s); its previous run's last log lines say why")
    if status.get("state", {}).get("terminated") and ended.get("exitCode", 0) != 0:
        return Cause(name, container, "exited with an error",
                     f"exit code {ended['exitCode']} ({ended.get('reason', 'unknown')})")
    return None


def _unschedulable(pod: dict) -> Cause | None:
    for condition in pod.get("status", {}).get("conditions", []):
        if condition["type"] == "PodScheduled" and condition["status"] == "False":
            return Cause(pod["metadata"]["name"], None, "cannot be scheduled",
                         condition.get("message") or condition.get("reason", "no node fits"))
    return None


def failing(pod: dict) -> bool:
    """Not serving now: neither Succeeded nor Running and Ready (restarts alone do not count)."""
    phase = pod.get("status", {}).get("phase")
    return phase != "Succeeded" and (phase != "Running" or not workloads.is_ready(pod))


def pod_causes(pod: dict, events: list[dict]) -> list[Cause]:
    """Every recognisable cause of the pod's trouble, past OOM kills and probe restarts included;
    a failing pod without one gets a cause saying so, so it is never silently left out."""
    causes = []
    failures = probe_failures(pod, events)
    for status in _statuses(pod):
        mine = [f for f in failures if f.container in (status["name"], None)]
        probe_causes = [c for c in (_probe_cause(pod, f, status) for f in mine) if c]
        restarted_by_probe = any(c.title.startswith(("liveness", "startup")) for c in probe_causes)
        container_cause = _container_cause(pod, status, restarted_by_probe)
        causes += ([container_cause] if container_cause else []) + probe_causes
    scheduling = _unschedulable(pod)
    causes += [scheduling] if scheduling else []
    if not causes and failing(pod):
        phase = pod.get("status", {}).get("phase", "Unknown")
        causes.append(Cause(pod["metadata"]["name"], None, "not ready",
                            f"phase {phase}, no recognisable cause; read its events and log lines"))
    return causes
