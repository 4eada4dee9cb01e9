"""How the chart runs each project image, read from its values.yaml, so that the container layer
runs the images exactly as pods do: the UID and GID, the port, the directories that stay writable
(emptyDirs in a pod, tmpfs mounts under `docker run`) and the path the startup probe polls.

Reading the chart rather than restating these numbers is the point: an image that drifts from
what the chart expects fails here, before a pod ever starts.
"""

from dataclasses import dataclass
from pathlib import Path

import yaml

from deploykit.foundation import paths
from deploykit.foundation.errors import ChartError


@dataclass(frozen=True)
class RunSpec:
    component: str
    uid: int
    gid: int
    port: int
    writable_dirs: tuple[str, ...]
    health_path: str

    @property
    def user(self) -> str:
        """`docker run --user`: the pod's runAsUser:runAsGroup."""
        return f"{self.uid}:{self.gid}"


def _lookup(values: dict, dotted: str, chart: Path):
    node = values
    for key in dotted.split("."):
        if not isinstance(node, dict) or key not in node:
            raise ChartError(f"{chart}/values.yaml has no {dotted}; the container layer runs the image from it")
        node = node[key]
    return node


def from_chart(component: str, chart: Path = paths.CHART) -> RunSpec:
    """The RunSpec of `backend` or `frontend` under the chart's default values."""
    values = yaml.safe_load((chart / "values.yaml").read_text())

    def value(key):
        return _lookup(values, f"{component}.{key}", chart)

    return RunSpec(
        component=component,
        uid=int(value("securityContext.runAsUser")),
        gid=int(value("securityContext.runAsGroup")),
        port=int(value("containerPort")),
        writable_dirs=tuple(value("writableDirs")),
        health_path=str(value("probes.startup.path")),
    )
