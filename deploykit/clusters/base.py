"""What every cluster provider does: start (or reuse), load locally built images, stop."""

from abc import ABC, abstractmethod

from deploykit.tools.kubectl import Kubectl


class Cluster(ABC):
    NAME = ""
    #: Pull policy for images this project builds: loaded into the node, never pulled.
    LOCAL_IMAGE_PULL_POLICY = "Never"

    @abstractmethod
    def start(self) -> None:
        """Bring the cluster up (reusing a running one) and wait until it is Ready."""

    @abstractmethod
    def load_images(self, names: list[str]) -> None:
        """Make locally built images available to the cluster's container runtime."""

    @abstractmethod
    def stop(self) -> None:
        """Stop what start() started; a cluster this project did not start is left alone."""

    @property
    @abstractmethod
    def kubeconfig(self) -> str | None:
        """Path of the kubeconfig to use (None: the user's default)."""

    @property
    def context(self) -> str | None:
        return None

    def pod_image(self, name: str) -> str:
        """How a pod outside the chart names a loaded image (the chart's images go through
        chart_values): as loaded, where the nodes see the local images."""
        return name

    def chart_values(self) -> dict:
        """Values this provider needs on top of a values file (none for a full-featured cluster)."""
        return {}

    def kubectl(self) -> Kubectl:
        return Kubectl(kubeconfig=self.kubeconfig, context=self.context)

    def reachable(self) -> bool:
        return self.kubectl().reachable()

    def describe(self) -> str:
        return self.NAME

    #: Nodes asked for before start(); a provider that can shape the cluster it creates does so,
    #: the others keep the shape they have.
    nodes_wanted = 1

    def want_nodes(self, count: int) -> None:
        self.nodes_wanted = count

    def selection_env(self) -> dict[str, str]:
        """The environment under which another instance of this provider (a CLI command, the MCP
        server, a script) picks this same cluster; empty where the provider's name is enough."""
        return {}

    def node_names(self) -> list[str]:
        return self.kubectl()("get", "nodes", "-o", "jsonpath={.items[*].metadata.name}").stdout.split()
