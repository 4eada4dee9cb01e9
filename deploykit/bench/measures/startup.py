"""Container start to healthy, STARTS times per image: from `docker run` (hardened as the chart
runs the image) to the first 200 from its startup probe's path, as the container layer measures
it (containers.wait_healthy), but enough times for a spread rather than a single slowest run."""

import docker

from deploykit.bench.figure import Figure
from deploykit.bench.stats import Spread
from deploykit.chart import runspec
from deploykit.containers import running as containers
from deploykit.foundation.limits import CONTAINER_START_S

GROUP = "Container start"
STARTS = 10


def start_times(client: docker.DockerClient, image: str, spec: runspec.RunSpec, starts: int = STARTS) -> list[float]:
    runs = []
    for _ in range(starts):
        with containers.running(client, image, spec) as started:
            runs.append(containers.wait_healthy(started))
    return runs


def figures(client: docker.DockerClient, built: dict) -> list[Figure]:
    found = []
    for component, image in built.items():
        spec = runspec.from_chart(component)
        spread = Spread.of(start_times(client, image, spec))
        found.append(Figure(
            f"start.{component}.p95", GROUP, f"{component}: `docker run` to healthy, p95", spread.p95, "s",
            f"{STARTS} starts, hardened as the chart runs it, GET {spec.health_path} polled every "
            f"{containers.HEALTH_POLL_S:g} s", CONTAINER_START_S[component],
            note=spread.describe("s"), extra=spread.as_dict()))
    return found
