"""Backend throughput through its Service at a fixed concurrency, one pod under the resource
limits of the values file the release was installed with, and what that pod uses, idle and under
that load, as the kubelet reports it (/stats/summary through the API server's node proxy).

The load comes from a pod in the release's namespace (throughput_pod.py on the backend image), so
it goes through the Service as in-cluster clients do. While it runs, the pod's CPU counter and
memory working set are sampled every SAMPLE_S; only samples inside the measured window count.
"""

import json
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from deploykit.bench.figure import Figure
from deploykit.clusters import workloads
from deploykit.foundation.errors import ClusterOperationFailed
from deploykit.foundation.percentiles import percentile
from deploykit.release import scriptpod
from deploykit.release.helmrelease import Release
from deploykit.tools.kubectl import Kubectl

GROUP = "Backend under load"
SCRIPT = Path(__file__).with_name("throughput_pod.py")
CONCURRENCY = 8
DURATION_S = 20
WARMUP_S = 3
TASKS = 5  # in the list each request reads
IDLE_S = 10
SAMPLE_S = 2
MIB = 1024 * 1024


@dataclass(frozen=True)
class Sample:
    at: float  # host wall clock when the kubelet answered
    cpu_core_ns: int  # the pod's cumulative CPU time
    memory_bytes: int  # the pod's working set


def parse_cpu_millicores(quantity: str) -> float:
    """A Kubernetes CPU quantity ("500m", "1", "0.5") in millicores."""
    return float(quantity[:-1]) if quantity.endswith("m") else float(quantity) * 1000


def parse_memory_bytes(quantity: str) -> int:
    """A Kubernetes memory quantity ("256Mi", "1Gi", "64M", "1000") in bytes."""
    units = {"Ki": 1024, "Mi": 1024**2, "Gi": 1024**3, "K": 1000, "M": 1000**2, "G": 1000**3}
    for suffix, factor in units.items():
        if quantity.endswith(suffix):
            return int(float(quantity[: -len(suffix)]) * factor)
    return int(quantity)


def cpu_millicores(first: Sample, last: Sample) -> float:
    """Average CPU use between two samples: nanoseconds of CPU per second, in millicores."""
    return (last.cpu_core_ns - first.cpu_core_ns) / 1e6 / (last.at - first.at)


def pod_usage(kubectl: Kubectl, node: str, namespace: str, pod: str) -> Sample:
    summary = json.loads(kubectl("get", "--raw", f"/api/v1/nodes/{node}/proxy/stats/summary").stdout)
    at = time.time()
    for entry in summary.get("pods", []):
        if entry["podRef"]["name"] == pod and entry["podRef"]["namespace"] == namespace:
            containers = entry.get("containers", [])
            return Sample(at, sum(c["cpu"]["usageCoreNanoSeconds"] for c in containers),
                          sum(c["memory"]["workingSetBytes"] for c in containers))
    raise ClusterOperationFailed(f"the kubelet of node {node} reports no stats for pod {namespace}/{pod}")


class Sampler:
    """pod_usage every SAMPLE_S in a thread, until stopped."""

    def __init__(self, kubectl: Kubectl, node: str, namespace: str, pod: str):
        self.read = lambda: pod_usage(kubectl, node, namespace, pod)
        self.samples: list[Sample] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.samples.append(self.read())
            self._stop.wait(SAMPLE_S)

    def __enter__(self) -> "Sampler":
        self._thread.start()
        return self

    def __exit__(self, *_) -> None:
        self._stop.set()
        self._thread.join(timeout=30)

    def within(self, start: float, end: float) -> list[Sample]:
        return [sample for sample in self.samples if start <= sample.at <= end]


def run_client(release: Release, sampler: Sampler) -> dict:
    """Run the closed-loop client to its end while sampler samples; its "done" record."""
    name, kubectl, namespace = f"throughput-{uuid.uuid4().hex[:6]}", release.kubectl, release.namespace
    env = {"BASE_URL": release.service_url("backend", ""), "CONCURRENCY": CONCURRENCY,
           "DURATION_S": DURATION_S, "WARMUP_S": WARMUP_S, "TASKS": TASKS}
    try:
        with sampler:
            kubectl.apply(scriptpod.manifest(name, release, SCRIPT, env), namespace)
            workloads.wait_for(lambda: workloads.pod(kubectl, namespace, name)["status"].get("phase")
                               in ("Succeeded", "Failed"), f"throughput client {name} finishing",
                               timeout=WARMUP_S + DURATION_S + 120)
        lines = kubectl("-n", namespace, "logs", name, timeout=60).stdout.splitlines()
        done = [json.loads(line) for line in lines if line.startswith('{"event":"done"')]
        if not done:
            tail = "\n".join(lines[-20:])
            raise ClusterOperationFailed(f"throughput client {name} ended without its figures:\n{tail}")
        return done[0]
    finally:
        kubectl("-n", namespace, "delete", "pod,configmap", name, "--wait=false", check=False)


def _of_limit(value: float, limit: float | None, unit: str) -> str:
    return f"{100 * value / limit:.0f}% of the pod's {limit:g} {unit} limit" if limit else "the pod has no limit"


def usage_figures(idle: tuple[Sample, Sample], loaded: list[Sample], limits: dict) -> list[Figure]:
    """CPU and memory of the backend pod, idle and under load, each against the pod's limit."""
    cpu_limit = parse_cpu_millicores(limits["cpu"]) if "cpu" in limits else None
    memory_limit = parse_memory_bytes(limits["memory"]) / MIB if "memory" in limits else None
    readings = (
        ("cpu_idle", "backend CPU, idle", cpu_millicores(*idle), "millicores", cpu_limit,
         f"CPU time over {IDLE_S} s with no traffic"),
        ("cpu_loaded", "backend CPU, under that load", cpu_millicores(loaded[0], loaded[-1]), "millicores", cpu_limit,
         "CPU time over the measured window"),
        ("memory_idle", "backend memory, idle", idle[1].memory_bytes / MIB, "MiB", memory_limit, "working set"),
        ("memory_loaded", "backend memory, under that load (peak)", max(s.memory_bytes for s in loaded) / MIB, "MiB",
         memory_limit, f"highest working set of the samples taken every {SAMPLE_S} s"),
    )
    return [Figure(f"load.{key}", GROUP, name, value, unit, f"kubelet /stats/summary: {how}", digits=0,
                   note=_of_limit(value, limit, unit)) for key, name, value, unit, limit, how in readings]


def load_figures(done: dict) -> list[Figure]:
    latencies, failed = done["latencies_ms"], done["failed"]
    how = (f"GET /api/tasks (authenticated, {TASKS} tasks), {CONCURRENCY} clients in a closed loop for "
           f"{DURATION_S} s after {WARMUP_S} s of warm-up, kept-alive connections, from a pod through the Service")
    return [
        Figure("load.throughput", GROUP, f"throughput at concurrency {CONCURRENCY}", len(latencies) / DURATION_S,
               "req/s", how, digits=0,
               note=f"{len(latencies)} answered, {failed} failed; p50 {percentile(latencies, 0.5):.0f} ms",
               extra={"failed": failed, "failure_sample": done["failure_sample"]}),
        Figure("load.p99", GROUP, f"latency p99 at concurrency {CONCURRENCY}", percentile(latencies, 0.99), "ms",
               "the same requests", digits=0),
    ]


def figures(release: Release) -> list[Figure]:
    kubectl, namespace = release.kubectl, release.namespace
    serving = release.serving_pods("backend")
    if len(serving) != 1:
        raise ClusterOperationFailed(f"expected one backend pod to load, found {len(serving)}")
    pod = serving[0]
    sampler = Sampler(kubectl, pod["spec"]["nodeName"], namespace, pod["metadata"]["name"])
    idle_first = sampler.read()
    time.sleep(IDLE_S)
    idle = (idle_first, sampler.read())
    done = run_client(release, sampler)
    loaded = sampler.within(done["start"], done["end"])
    if len(loaded) < 2:
        raise ClusterOperationFailed(f"only {len(loaded)} resource sample(s) fell inside the measured window")
    limits = pod["spec"]["containers"][0].get("resources", {}).get("limits", {})
    return load_figures(done) + usage_figures(idle, loaded, limits)
