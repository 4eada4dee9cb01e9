"""Operations on one release, as the MCP server (deploykit.ops.opsmcp) offers them to an assistant:
reads (status, events, logs, rollout history, the diagnostics report) and writes (rollout restart,
rollback, scale). Every call is confined to the release it was built for: a pod outside it, or a
component without a Deployment, is refused with a ClusterOperationFailed saying why.

The docstrings of the public methods are the tools' descriptions: they are written for the model."""

from typing import Any, Literal

from deploykit.clusters import workloads
from deploykit.diagnose import podcauses, report
from deploykit.foundation.constants import COMPONENT_LABEL, COMPONENTS
from deploykit.foundation.errors import ClusterOperationFailed
from deploykit.release.helmrelease import Release

Component = Literal["backend", "frontend"]  # the components that run as a Deployment
SCALABLE_COMPONENTS = COMPONENTS
MAX_REPLICAS = 10
EVENT_LIMIT = 50
LOG_LINE_LIMIT = 500


class ReleaseOps:
    def __init__(self, release: Release):
        self.release = release

    @property
    def _where(self) -> str:
        return f"release {self.release.name} in namespace {self.release.namespace}"

    def _pods(self) -> list[dict]:
        return workloads.pods(self.release.kubectl, self.release.namespace, self.release.selector())

    def _deployment(self, component: str) -> str:
        if component not in SCALABLE_COMPONENTS:
            raise ClusterOperationFailed(
                f"component must be one of {', '.join(SCALABLE_COMPONENTS)}, got {component!r}")
        return self.release.object_name("deployment", component)

    # -- reads -----------------------------------------------------------------------------------

    def release_status(self) -> dict[str, Any]:
        """The release's Helm revision and status, each pod's phase, readiness and restarts, and the
        named causes of any failing pod (bad image tag, failing probe, OOMKilled, crash loop...)."""
        helm = self.release.status()
        events = self.release.kubectl.get_json("events", "-n", self.release.namespace)["items"]
        pods = self._pods()
        return {
            "release": self.release.name, "namespace": self.release.namespace,
            "revision": helm.get("version"), "status": helm.get("info", {}).get("status"),
            "pods": [{"name": p["metadata"]["name"],
                      "component": p["metadata"].get("labels", {}).get(COMPONENT_LABEL),
                      "phase": p.get("status", {}).get("phase"), "ready": workloads.is_ready(p),
                      "restarts": workloads.restart_count(p)} for p in pods],
            "causes": [str(c) for p in pods for c in podcauses.pod_causes(p, events)],
        }

    def recent_events(self, limit: int = 20) -> list[dict[str, Any]]:
        """The newest events of the release's namespace (oldest first): type, reason, object, message."""
        limit = max(1, min(limit, EVENT_LIMIT))
        items = self.release.kubectl.get_json("events", "-n", self.release.namespace,
                                              "--sort-by=.lastTimestamp")["items"]
        return [{"type": e.get("type"), "reason": e.get("reason"),
                 "object": f"{e['involvedObject'].get('kind')}/{e['involvedObject'].get('name')}",
                 "count": e.get("count") or 1, "last_seen": e.get("lastTimestamp") or e.get("eventTime"),
                 "message": e.get("message", "")} for e in items[-limit:]]

    def pod_logs(self, pod: str, tail: int = 50, previous: bool = False) -> str:
        """The last `tail` log lines of one of the release's pods (all containers); previous=true
        reads the run before the last restart, which says why a crash-looping container died."""
        if pod not in {p["metadata"]["name"] for p in self._pods()}:
            raise ClusterOperationFailed(f"pod {pod!r} is not a pod of {self._where}; release_status lists them")
        tail = max(1, min(tail, LOG_LINE_LIMIT))
        result = self.release.kubectl("logs", pod, "-n", self.release.namespace, "--all-containers",
                                      f"--tail={tail}", *(["--previous"] if previous else []), check=False)
        if not result.succeeded:
            raise ClusterOperationFailed(f"no logs of pod {pod}: {result.stderr.strip()}")
        return result.stdout

    def rollout_history(self) -> list[dict[str, Any]]:
        """The release's Helm revisions, oldest first: revision, status, chart, app version, when,
        and what happened (install, upgrade, "Rollback to N")."""
        return [{key: entry.get(key) for key in ("revision", "status", "chart", "app_version", "updated",
                                                 "description")}
                for entry in self.release.helm.history(self.release.name, namespace=self.release.namespace)]

    def diagnose(self) -> str:
        """The full diagnostics report: named causes, container states, failed probes, pods, recent
        events and the failing pods' last log lines."""
        return report.report(self.release.kubectl, self.release.namespace, self.release.name)

    # -- writes ----------------------------------------------------------------------------------

    def rollout_restart(self, component: Component) -> str:
        """Replace a component's (backend or frontend) pods one by one with fresh ones, keeping it
        serving (the Deployment's rolling update); returns at once, follow with release_status."""
        deployment = self._deployment(component)
        return self.release.kubectl("rollout", "restart", f"deployment/{deployment}",
                                    "-n", self.release.namespace).stdout.strip()

    def rollback(self, revision: int | None = None) -> list[dict[str, Any]]:
        """Roll the release back to `revision` (default: the previous one) with Helm; returns the
        history, whose newest entry is the rollback, without waiting for the pods."""
        if revision is not None and revision < 1:
            raise ClusterOperationFailed(f"revision must be 1 or more, got {revision}")
        self.release.helm.rollback(self.release.name, revision, namespace=self.release.namespace, wait=False)
        return self.rollout_history()

    def scale(self, component: Component, replicas: int) -> str:
        """Set a component's (backend or frontend) replica count, 0 to 10. An autoscaler, when the
        chart enables one, takes the count back over."""
        if not 0 <= replicas <= MAX_REPLICAS:
            raise ClusterOperationFailed(f"replicas must be between 0 and {MAX_REPLICAS}, got {replicas}")
        deployment = self._deployment(component)
        workloads.scale(self.release.kubectl, self.release.namespace, f"deployment/{deployment}", replicas)
        return f"deployment/{deployment} scaled to {replicas} replica(s)"


READ_TOOLS = ("release_status", "recent_events", "pod_logs", "rollout_history", "diagnose")
WRITE_TOOLS = ("rollout_restart", "rollback", "scale")
