"""Steady traffic through a release's Services while something happens to it (an upgrade, a
rollback, a deleted or evicted pod), and what that traffic saw.

The load comes from a pod inside the cluster (loadgen_pod.py run as a scriptpod), so it reaches
the Services exactly as in-cluster clients and the ingress controller do, on any provider, and
never leaves the cluster. `steady_traffic` starts it, waits for its first answers, lets the
caller act, then stops it and parses one JSON line per request into a TrafficReport.
"""

import contextlib
import itertools
import json
import statistics
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from deploykit.clusters import workloads
from deploykit.foundation.errors import ClusterOperationFailed
from deploykit.foundation.limits import ROLLOUT_FAILED_REQUESTS
from deploykit.foundation.percentiles import percentile
from deploykit.release import scriptpod
from deploykit.release.helmrelease import Release

SCRIPT = Path(__file__).with_name("loadgen_pod.py")
RATE = 50  # requests per second, over all targets
# A bound on any one run (a helm --wait and a settle fit in it): the generator stops by itself
# even if nobody stops it.
MAX_SECONDS = 600
REQUEST_TIMEOUT_S = 5
START_TIMEOUT_S = 60
# Fewer requests than this say too little about a change to judge it.
MIN_REQUESTS = 100


def release_targets(release: Release) -> list[str]:
    """A real client's path (the frontend, proxying /api/ to the backend, which answers only while
    it reaches the database), and the backend's /health, the one route that names its version."""
    return [release.service_url("frontend", "/api/health"), release.service_url("backend", "/health")]


@dataclass
class TrafficReport:
    results: list[dict]  # one per request, as loadgen_pod.py wrote them
    rate: float
    failures: list[dict] = field(init=False)

    def __post_init__(self):
        self.failures = [r for r in self.results if not 200 <= r["status"] < 300]

    @property
    def requests(self) -> int:
        return len(self.results)

    @property
    def longest_gap_s(self) -> float:
        """Longest time between two consecutive successful answers (nominally 1 / rate)."""
        times = sorted(r["t"] for r in self.results if 200 <= r["status"] < 300)
        return max((b - a for a, b in itertools.pairwise(times)), default=0.0)

    @property
    def versions(self) -> dict[str, int]:
        """Answers per version reported by the backend, in order of first appearance."""
        seen: dict[str, int] = {}
        for result in sorted(self.results, key=lambda r: r["t"]):
            if result.get("version"):
                seen[result["version"]] = seen.get(result["version"], 0) + 1
        return seen

    def figures(self) -> dict:
        latencies = [r["latency_ms"] for r in self.results if 200 <= r["status"] < 300]
        return {
            "requests": self.requests,
            "failed": len(self.failures),
            "error_rate": round(len(self.failures) / self.requests, 6) if self.requests else None,
            "rate_per_s": self.rate,
            "duration_s": round(max((r["t"] for r in self.results), default=0.0), 2),
            "longest_gap_s": round(self.longest_gap_s, 3),
            "latency_p50_ms": round(statistics.median(latencies), 1) if latencies else None,
            "latency_p99_ms": round(percentile(latencies, 0.99), 1) if latencies else None,
            "latency_max_ms": round(max(latencies, default=0.0), 1),
            "versions": self.versions,
            "failed_sample": self.failures[:5],
        }

    def problems(self, expect_versions: tuple = (), min_requests: int = MIN_REQUESTS) -> list[str]:
        """What makes this traffic fail the zero-downtime promise; [] when it kept it."""
        found = []
        if not ROLLOUT_FAILED_REQUESTS.met_bound(len(self.failures)):
            errors = sorted({r.get("error") or f"HTTP {r['status']}" for r in self.failures})
            first = min(self.failures, key=lambda r: r.get("t", 0))
            found.append(f"{len(self.failures)} of {self.requests} requests failed "
                         f"(longest gap between answers {self.longest_gap_s:.2f} s; the first at "
                         f"t={first.get('t')} s on {first.get('target')}): {errors[:5]}")
        if self.requests < min_requests:
            found.append(f"only {self.requests} requests were sent (at least {min_requests} needed to judge)")
        missing = [v for v in expect_versions if v not in self.versions]
        if missing:
            found.append(f"version(s) {missing} never answered (seen: {self.versions}): the change did not "
                         "happen while the traffic was watched")
        return found

    def summary(self) -> str:
        f = self.figures()
        return (f"{f['requests']} requests at {self.rate:g}/s, {f['failed']} failed, "
                f"longest gap {f['longest_gap_s']} s, p50 {f['latency_p50_ms']} ms, p99 {f['latency_p99_ms']} ms, "
                f"versions {f['versions']}")


def _manifest(name: str, release: Release, targets: list[str], rate: float) -> str:
    env = {"TARGETS": " ".join(targets), "RATE": str(rate), "MAX_SECONDS": str(MAX_SECONDS),
           "TIMEOUT_S": str(REQUEST_TIMEOUT_S), "STOP_FILE": "/tmp/stop"}
    return scriptpod.manifest(name, release, SCRIPT, env)


class LoadGenerator:
    def __init__(self, release: Release, targets: list[str], rate: float):
        self.release, self.targets, self.rate = release, targets, rate
        self.name = f"loadgen-{uuid.uuid4().hex[:6]}"
        self.report: TrafficReport | None = None

    def _kubectl(self, *args, **kwargs):
        return self.release.kubectl("-n", self.release.namespace, *args, **kwargs)

    def _results(self) -> list[dict]:
        lines = self._kubectl("logs", self.name, timeout=60).stdout.splitlines()
        return [json.loads(line) for line in lines if line.startswith("{")]

    def _phase(self) -> str:
        return workloads.pod(self.release.kubectl, self.release.namespace, self.name)["status"].get("phase", "")

    def start(self) -> None:
        self.release.kubectl.apply(_manifest(self.name, self.release, self.targets, self.rate), self.release.namespace)
        workloads.wait_for(lambda: any(200 <= r.get("status", 0) < 300 for r in self._results()),
                           f"load generator {self.name} getting its first answers", START_TIMEOUT_S)

    def stop(self) -> TrafficReport:
        phase = self._phase()
        if phase != "Running":
            raise ClusterOperationFailed(f"load generator {self.name} ended (phase {phase}) before it was stopped: "
                                         "the traffic did not cover the whole change")
        self._kubectl("exec", self.name, "--", "python", "-c", "open('/tmp/stop', 'w').close()")
        workloads.wait_for(lambda: self._phase() in ("Succeeded", "Failed"),
                           f"load generator {self.name} finishing its last requests", REQUEST_TIMEOUT_S + 30)
        phase, results = self._phase(), self._results()
        if phase != "Succeeded":
            tail = self._kubectl("logs", self.name, "--tail=20", check=False).stdout
            raise ClusterOperationFailed(f"load generator {self.name} exited with phase {phase}:\n{tail}")
        self.report = TrafficReport([r for r in results if "status" in r], self.rate)
        return self.report

    def remove(self) -> None:
        self._kubectl("delete", "pod,configmap", self.name, "--wait=false", check=False)


@contextlib.contextmanager
def steady_traffic(release: Release, targets: list[str] | None = None, rate: float = RATE):
    """Traffic from before the block until its end; the LoadGenerator's .report is set on exit."""
    generator = LoadGenerator(release, targets or release_targets(release), rate)
    try:
        generator.start()
        yield generator
        generator.stop()
    finally:
        generator.remove()
