"""minikube, as users run it: `minikube start`, `minikube image load`, `minikube stop` (of a
profile this provider started: one the user had running is left running)."""

import shutil
from pathlib import Path

from deploykit.clusters.base import Cluster
from deploykit.foundation.errors import ClusterUnavailable
from deploykit.foundation.log import logger
from deploykit.foundation.paths import cache_dir
from deploykit.foundation.run import run


class MinikubeCluster(Cluster):
    NAME = "minikube"

    def __init__(self, profile: str = "minikube", state: Path | None = None):
        self.profile = profile
        self.state = state or cache_dir("minikube")

    @property
    def _marker(self) -> Path:
        """Written when this provider starts the profile, removed when it stops it."""
        return self.state / f"{self.profile}.started"

    @staticmethod
    def installed() -> bool:
        return shutil.which("minikube") is not None

    @property
    def kubeconfig(self):
        return None

    @property
    def context(self):
        return self.profile

    def _minikube(self, *args, timeout=900):
        if not self.installed():
            raise ClusterUnavailable("minikube is not installed; see https://minikube.sigs.k8s.io/docs/start/")
        return run(["minikube", "-p", self.profile, *args], timeout=timeout)

    def start(self) -> None:
        if self.installed() and run(["minikube", "-p", self.profile, "status"], check=False).succeeded:
            return
        logger.info(f"starting minikube profile {self.profile} ...")
        self._minikube("start", "--wait=all")
        self._marker.touch()

    def load_images(self, names):
        for name in names:
            logger.info(f"minikube image load {name} ...")
            self._minikube("image", "load", "--overwrite=true", name)

    def stop(self) -> None:
        if not self._marker.is_file():
            logger.info(f"minikube profile {self.profile} was not started by deploykit; leaving it running")
            return
        self._minikube("stop")
        self._marker.unlink()
