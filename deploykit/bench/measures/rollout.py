"""A rolling update and a rollback of the bench release under steady traffic, each measured the
way the cluster layer's rollout tests measure it (rollouts.under_traffic, recorded): requests,
failures, error rate, longest gap and latency before, during and after the change; the lowest
count of ready backend endpoints; created-to-Ready of the pods it made; and the timeline picture.

"During" runs from the helm command to the moment every Deployment has settled (all pods new and
available, none still shutting down); "before" and "after" are STEADY_S of undisturbed traffic.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from deploykit.bench import timeline
from deploykit.bench.figure import Figure
from deploykit.bench.measures import podready
from deploykit.bench.recording import Recording
from deploykit.foundation.limits import ROLLOUT_FAILED_REQUESTS, ROLLOUT_P99_RATIO
from deploykit.release import rollouts, traffic
from deploykit.release.helmrelease import Release

STEADY_S = 15
PHASES = ("before", "during", "after")
PHASE_KEYS = ("requests", "failed", "error_rate", "longest_gap_s", "latency_p50_ms", "latency_p99_ms")


@dataclass
class ChangeResult:
    figures: list[Figure]
    phases: dict  # phase -> the traffic figures of the requests sent in it
    versions: dict  # version -> answers, in order of first appearance
    picture: Path


def phase_figures(recording: Recording) -> dict:
    """Per phase, traffic.TrafficReport's own figures of the requests sent in it."""
    split = recording.phases()
    if len(split) != len(PHASES):
        raise ValueError(f"expected 2 marks (change, settled), got {len(recording.marks)}")
    return {phase: {key: traffic.TrafficReport(results, recording.rate).figures()[key] for key in PHASE_KEYS}
            for phase, results in zip(PHASES, split, strict=True)}


def measure_change(release: Release, what: str, command: str, change: Callable[[], None],
                   picture: Path) -> ChangeResult:
    """Steady traffic, change() (the helm command named `command`), wait until settled, steady
    traffic again; the figures, and the picture at picture."""
    group, key = what[:1].upper() + what[1:], what.replace(" ", "_")
    before = {startup.pod for startup in podready.startups(release)}
    recording = Recording(what)

    def act():
        time.sleep(STEADY_S)
        recording.mark(command)
        change()
        rollouts.wait_settled(release)
        recording.mark("settled")
        time.sleep(STEADY_S)

    disruption = recording.under_traffic(release, act)
    timeline.write_picture(recording, picture)
    phases = phase_figures(recording)
    new_pods = podready.startups(release, excluding=before)
    whole = disruption.traffic.figures()
    during_s = recording.marks[1][0] - recording.marks[0][0]
    steady_p99, during_p99 = phases["before"]["latency_p99_ms"], phases["during"]["latency_p99_ms"]
    figures = [
        Figure(f"{key}.failed", group, "failed requests", whole["failed"], "requests",
               f"in-cluster load generator, {whole['rate_per_s']:g} requests/s over the frontend and backend "
               "Services, before, during and after", ROLLOUT_FAILED_REQUESTS, digits=0,
               note=f"of {whole['requests']} (error rate {whole['error_rate']:.4%})"),
        Figure(f"{key}.p99_ratio", group, "latency p99 during, over before",
               during_p99 / steady_p99 if steady_p99 and during_p99 else None, "x",
               "p99 of the requests sent during the change over p99 of the steady traffic before it",
               ROLLOUT_P99_RATIO, note=f"{steady_p99:g} ms before, {during_p99:g} ms during"),
        Figure(f"{key}.duration", group, "change to settled", during_s, "s",
               "from the helm command to every Deployment settled (old pods gone)", digits=1),
        Figure(f"{key}.lowest_ready", group, "fewest ready backend endpoints", disruption.endpoints.lowest_ready,
               "", "a watch on the backend Service's EndpointSlices", digits=0,
               note=f"{disruption.endpoints.seconds_below(1):.1f} s with none"),
    ]
    if new_pods:
        figures.append(podready.ready_figure(f"{key}.pod_ready", group, f"{len(new_pods)} new pods", new_pods))
    return ChangeResult(figures, phases, disruption.traffic.versions, picture)
