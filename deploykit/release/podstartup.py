"""Pod startup from the pods' own records: creationTimestamp to the Ready condition's
lastTransitionTime, for each long-running pod (ReplicaSet and StatefulSet pods; hook and test
pods never become Ready). Kubernetes stores both times with 1 s resolution, so every figure is
good to +-1 s; the bound is checked on the figure as recorded."""

import dataclasses
import datetime
import statistics
from dataclasses import dataclass

from deploykit.foundation import artifacts
from deploykit.foundation.constants import COMPONENT_LABEL
from deploykit.foundation.limits import Budget
from deploykit.foundation.percentiles import percentile

RESOLUTION_S = 1


def parse_time(stamp: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(stamp.replace("Z", "+00:00"))


@dataclass(frozen=True)
class PodStartup:
    pod: str
    component: str
    created: datetime.datetime
    ready: datetime.datetime | None  # None: not Ready

    @property
    def seconds(self) -> float | None:
        return (self.ready - self.created).total_seconds() if self.ready else None

    @classmethod
    def of(cls, pod: dict) -> "PodStartup":
        ready = next((c for c in pod.get("status", {}).get("conditions", [])
                      if c["type"] == "Ready" and c["status"] == "True"), None)
        metadata = pod["metadata"]
        component = metadata.get("labels", {}).get(COMPONENT_LABEL, "?")
        return cls(metadata["name"], component, parse_time(metadata["creationTimestamp"]),
                   parse_time(ready["lastTransitionTime"]) if ready else None)


# Whose readiness waits for whom: the backend is Ready only once it reaches the database.
READY_NEEDS = {"backend": "postgresql"}


def timed_from_dependencies(startups: list[PodStartup]) -> list[PodStartup]:
    """At install every pod is created at once, but a pod whose readiness needs another component
    cannot be Ready before it: time it from that component's Ready, when that came later. Its own
    startup is what the bound judges, not how long the database took on this machine."""
    ready_at: dict[str, datetime.datetime] = {}
    for s in startups:
        if s.ready:
            ready_at[s.component] = max(ready_at.get(s.component, s.ready), s.ready)
    return [dataclasses.replace(s, created=max(s.created, ready_at[READY_NEEDS[s.component]]))
            if READY_NEEDS.get(s.component) in ready_at else s for s in startups]


def problems(startups: list[PodStartup], budget: Budget) -> list[str]:
    found = [f"pod {s.pod} ({s.component}) is not Ready" for s in startups if s.seconds is None]
    found += [f"pod {s.pod} ({s.component}) took {s.seconds:g} s from creation to Ready, not under the "
              f"{budget.bound:g} s bound"
              for s in startups if s.seconds is not None and not budget.met_bound(s.seconds)]
    if not startups:
        found.append("no pod to measure")
    return found


def summary(startups: list[PodStartup], budget: Budget, **context) -> dict:
    """median/p95/max over the measured pods, each pod's figure, and the budget beside them."""
    seconds = sorted(s.seconds for s in startups if s.seconds is not None)
    p95 = percentile(seconds, 0.95) if seconds else None
    return {
        "pods": len(startups),
        "median_s": statistics.median(seconds) if seconds else None,
        "p95_s": p95,
        "max_s": seconds[-1] if seconds else None,
        "per_pod": {s.pod: s.seconds for s in startups},
        "resolution_s": RESOLUTION_S,
        "bound_s": budget.bound,
        "target_s": budget.target,
        "met_bound": bool(seconds) and all(budget.met_bound(v) for v in seconds) and len(seconds) == len(startups),
        "measured_at": artifacts.now(),
        **context,
    }


def describe(summary: dict) -> str:
    return (f"{summary['pods']} pods, created to Ready: median {summary['median_s']} s, p95 {summary['p95_s']} s, "
            f"max {summary['max_s']} s (bound {summary['bound_s']} s, timestamps to {RESOLUTION_S} s)")
