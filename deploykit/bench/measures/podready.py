"""Pod created to Ready over a set of pods, as one figure: podstartup's per-pod times (from the
pods' own timestamps, the cluster layer's measure), judged on the slowest, since the bound holds
for every pod."""

from collections.abc import Set as AbstractSet

from deploykit.bench.figure import Figure, not_measured
from deploykit.bench.stats import Spread
from deploykit.foundation.limits import POD_READY_S
from deploykit.release import podstartup
from deploykit.release.helmrelease import Release


def startups(release: Release, excluding: AbstractSet[str] = frozenset()) -> list[podstartup.PodStartup]:
    """Created-to-Ready of the release's serving pods, except those named in excluding."""
    pods = release.serving_pods()
    return [podstartup.PodStartup.of(pod) for pod in pods if pod["metadata"]["name"] not in excluding]


def ready_figure(key: str, group: str, what: str, measured: list[podstartup.PodStartup]) -> Figure:
    """Created-to-Ready over the given pods, judged on the slowest (the bound holds for each pod)."""
    name = f"pod created to Ready, {what}, slowest"
    how = "creationTimestamp to the Ready condition's lastTransitionTime"
    seconds = [s.seconds for s in measured if s.seconds is not None]
    if not seconds:
        return not_measured(key, group, name, "s", how, f"none of {len(measured)} pod(s) became Ready", POD_READY_S)
    spread = Spread.of(seconds)
    unready = len(measured) - len(seconds)
    note = spread.describe("s", digits=0) + (f"; {unready} pod(s) never Ready" if unready else "")
    return Figure(key, group, name, spread.max, "s", how + f" ({podstartup.RESOLUTION_S} s resolution)",
                  POD_READY_S, note=note, digits=0, extra={s.pod: s.seconds for s in measured})
