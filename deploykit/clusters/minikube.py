"""minikube, as users run it: `minikube start`, `minikube image load`, `minikube stop`."""

import shutil

from deploykit.clusters.base import Cluster
from deploykit.foundation.errors import ClusterUnavailable
from deploykit.foundation.log import logger
from deploykit.foundation.run import run


class MinikubeCluster(Cluster):
    NAME = "minikube"

    def __init__(self, profile: str = "minikube"):
        self.profile = profile

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

    def load_images(self, names):
        for name in names:
            logger.info(f"minikube image load {name} ...")
            self._minikube("image", "load", "--overwrite=true", name)

    def stop(self) -> None:
        self._minikube("stop")
