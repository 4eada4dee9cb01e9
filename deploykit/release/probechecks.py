"""Probes that act, shown on a running release's backend: readiness takes a pod out of the
Service while the database is unreachable (without restarting it) and puts it back after;
liveness restarts a process that hangs; the startup probe lets a cold start finish.

Each check returns an outcome whose `problems` list what broke the promise, so a test can assert
that a healthy release has none and that a deliberately broken one is caught. Every wait is
derived from the probe settings the pod really runs with, plus a margin.
"""

import contextlib
import time
from dataclasses import dataclass, field

from deploykit.clusters import workloads
from deploykit.foundation.errors import ClusterOperationFailed
from deploykit.foundation.waits import WaitTimeout, wait_until
from deploykit.release.helmrelease import Release
from deploykit.release.podstartup import parse_time

MARGIN_S = 15  # kubelet scheduling, EndpointSlice propagation and a loaded 2-core machine


@dataclass
class Outcome:
    pod: str
    seconds: dict = field(default_factory=dict)  # what happened, in seconds after the trigger
    problems: list = field(default_factory=list)


def _seconds_until(condition, timeout: float) -> float | None:
    started = time.monotonic()
    try:
        wait_until(condition, what="", timeout=timeout, interval=0.5)
    except WaitTimeout:
        return None
    return round(time.monotonic() - started, 1)


def _backend_pod(release: Release) -> dict:
    pods = release.serving_pods("backend")
    if len(pods) != 1:
        raise ClusterOperationFailed(f"expected one backend pod, found {[p['metadata']['name'] for p in pods]}")
    return pods[0]


def _probe(pod: dict, kind: str) -> dict:
    return pod["spec"]["containers"][0][f"{kind}Probe"]


def detection_s(probe: dict) -> float:
    """Longest a probe can take to act: failureThreshold failed periods, the last one timing out."""
    return probe.get("periodSeconds", 10) * probe.get("failureThreshold", 3) + probe.get("timeoutSeconds", 1)


def _pod_now(release: Release, name: str) -> dict:
    return workloads.pod(release.kubectl, release.namespace, name)


@contextlib.contextmanager
def database_refusing_connections(release: Release):
    """The in-cluster PostgreSQL refuses every connection to the app's database, and drops the
    open ones, until the block ends. Scaling it to zero would do too, but its emptyDir data would
    come back empty and cluster DNS would cache the vanished name for up to 30 s."""
    database = release.database_name()
    # Commands run from the maintenance database, which stays reachable.
    release.psql(f'ALTER DATABASE "{database}" WITH ALLOW_CONNECTIONS false', "postgres")
    try:
        release.psql(f"SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = '{database}'",
                     "postgres")
        yield
    finally:
        release.psql(f'ALTER DATABASE "{database}" WITH ALLOW_CONNECTIONS true', "postgres")


def readiness_during_database_outage(release: Release) -> Outcome:
    pod = _backend_pod(release)
    name, probe = pod["metadata"]["name"], _probe(pod, "readiness")
    service = release.object_name("service", "backend")
    restarts = workloads.restart_count(pod)
    outcome = Outcome(name)

    def in_service() -> bool:
        return name in workloads.ready_endpoint_pods(release.kubectl, release.namespace, service)

    with database_refusing_connections(release):
        outcome.seconds["left_endpoints"] = _seconds_until(lambda: not in_service(), detection_s(probe) + MARGIN_S)
    outcome.seconds["back_in_endpoints"] = _seconds_until(in_service, probe["periodSeconds"] * 2 + MARGIN_S)
    if outcome.seconds["left_endpoints"] is None:
        outcome.problems.append(f"pod {name} stayed in Service {service}'s ready endpoints while the database "
                                f"refused connections (readiness {probe['httpGet']['path']} does not check it)")
    if outcome.seconds["back_in_endpoints"] is None:
        outcome.problems.append(f"pod {name} did not return to Service {service}'s endpoints after the database did")
    restarted = workloads.restart_count(_pod_now(release, name)) - restarts
    if restarted:
        outcome.problems.append(f"pod {name} restarted {restarted} time(s) during the database outage: "
                                "liveness depends on the database")
    return outcome


def liveness_on_hang(release: Release) -> Outcome:
    """Freeze the backend's event loop (GET /api/debug/freeze, needs DEBUG_SLOW_ENDPOINT=true) for
    longer than liveness needs to act; the container must be restarted in place, then be Ready."""
    pod = _backend_pod(release)
    name, probe = pod["metadata"]["name"], _probe(pod, "liveness")
    restarts = workloads.restart_count(pod)
    freeze_s = detection_s(probe) + probe.get("periodSeconds", 10)
    port = pod["spec"]["containers"][0]["ports"][0]["containerPort"]
    # Fire and forget: the request itself hangs, by design, so the client gives up after 1 s.
    release.kubectl("-n", release.namespace, "exec", name, "--", "python", "-c",
                    f"import httpx; httpx.get('http://127.0.0.1:{port}/api/debug/freeze?seconds={freeze_s}', "
                    "timeout=1)", check=False)
    grace = pod["spec"].get("terminationGracePeriodSeconds", 30)
    outcome = Outcome(name)
    outcome.seconds["restarted"] = _seconds_until(
        lambda: workloads.restart_count(_pod_now(release, name)) > restarts, freeze_s + grace + MARGIN_S)
    outcome.seconds["ready_again"] = _seconds_until(
        lambda: workloads.is_ready(_pod_now(release, name)), detection_s(_probe(pod, "startup")) + MARGIN_S)
    if outcome.seconds["restarted"] is None:
        outcome.problems.append(f"pod {name} was not restarted although it hung for {freeze_s} s "
                                f"(liveness {probe['httpGet']['path']} every {probe['periodSeconds']} s)")
    elif outcome.seconds["ready_again"] is None:
        outcome.problems.append(f"pod {name} was restarted but did not become Ready again")
    return outcome


def cold_start(release: Release) -> Outcome:
    """Replace the backend pod; the new container must become Ready within the startup probe's
    budget (periodSeconds x failureThreshold) without being restarted by it."""
    old = _backend_pod(release)
    probe = _probe(old, "startup")
    budget = probe["periodSeconds"] * probe["failureThreshold"]
    workloads.delete_pod(release.kubectl, release.namespace, old["metadata"]["name"])

    def replacement() -> list[dict]:
        return [p for p in release.serving_pods("backend")
                if p["metadata"]["name"] != old["metadata"]["name"] and workloads.is_ready(p)]

    if _seconds_until(replacement, budget + MARGIN_S) is None:
        return Outcome(old["metadata"]["name"], problems=[
            f"no replacement of pod {old['metadata']['name']} became Ready within the startup probe budget "
            f"({budget} s) and {MARGIN_S} s of margin"])
    new = replacement()[0]
    started = new["status"]["containerStatuses"][0]["state"]["running"]["startedAt"]
    ready = next(c["lastTransitionTime"] for c in new["status"]["conditions"] if c["type"] == "Ready")
    outcome = Outcome(new["metadata"]["name"], {"started_to_ready": (parse_time(ready) - parse_time(started))
                                                .total_seconds(), "startup_budget": budget})
    if workloads.restart_count(new):
        outcome.problems.append(f"pod {outcome.pod} was restarted during its cold start: the startup probe "
                                f"budget ({budget} s) is too short")
    if outcome.seconds["started_to_ready"] > budget:
        outcome.problems.append(f"pod {outcome.pod} took {outcome.seconds['started_to_ready']:g} s from container "
                                f"start to Ready, over the startup probe budget of {budget} s")
    return outcome
