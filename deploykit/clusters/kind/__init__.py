"""A kind cluster (sigs.k8s.io/kind), as users' CI runs one: `kind create cluster` from a config
in configs/ (single.yaml by default; multi.yaml, as cluster todo-list-hackathon-multi, when the
tests ask for more nodes or DEPLOYKIT_KIND_CONFIG=multi says so), images loaded
with `kind load docker-image`, and `kind delete cluster` only for a cluster this provider created.

Where kind's own node image can be pulled, kind uses it as it is. Elsewhere the node image is
built here from Debian packages and sources served by the Go module proxy (nodeimage.py, cached
by its inputs) and passed with --image, with a kubeadm patch pointing imageRepository at the
system images preloaded in it. Where the engine cannot grant --privileged (unprivileged.py), a
`docker` shim goes first on kind's PATH. kind's kubeconfig is written to a file of this provider's
(the user's ~/.kube/config is left alone); cluster-up prints it.
"""

import os
import shutil
from pathlib import Path

import yaml

from deploykit.clusters.base import Cluster
from deploykit.clusters.kind import build, unprivileged
from deploykit.foundation.errors import ClusterUnavailable, CommandFailed, DeploykitError, ToolMissing
from deploykit.foundation.locks import exclusive
from deploykit.foundation.log import logger
from deploykit.foundation.paths import cache_dir
from deploykit.foundation.run import run

CLUSTER_NAME = "todo-list-hackathon"
CONFIGS = Path(__file__).resolve().parent / "configs"
MULTI_NODE_CONFIG = "multi"  # a control plane and two workers
CREATE_WAIT = "5m"  # kind create --wait: the control plane Ready
CREATE_TIMEOUT_S = 900
NODES_READY_TIMEOUT = "180s"
# kind's default StorageClass: the local-path provisioner's
STORAGE_CLASS = "standard"
# the node image built here preloads its system images under this repository
IMAGE_REPOSITORY_PATCH = "kind: ClusterConfiguration\nimageRepository: {repository}\n"


def _tail(error: CommandFailed, lines: int = 4) -> str:
    """kind's last lines, on one line."""
    text = [line.strip() for line in (error.stderr or error.stdout or "").splitlines() if line.strip()]
    return " | ".join(text[-lines:]) or f"exit {error.returncode}"


class KindCluster(Cluster):
    NAME = "kind"

    def __init__(self, name: str | None = None, config: str | None = None, state: Path | None = None):
        self._name = name
        self.chosen = config or os.environ.get("DEPLOYKIT_KIND_CONFIG")  # by the caller or the user
        self.config = self.chosen or "single"
        self.state = state or cache_dir("kind", "clusters")
        if not (CONFIGS / f"{self.config}.yaml").is_file():
            choices = ", ".join(sorted(path.stem for path in CONFIGS.glob("*.yaml")))
            raise ClusterUnavailable(f"no kind config {self.config!r}; DEPLOYKIT_KIND_CONFIG is one of: {choices}")

    @property
    def name(self) -> str:
        """CLUSTER_NAME for the single-node config, CLUSTER_NAME-<config> for another, so a
        multi-node cluster the tests start leaves the user's `make up` cluster as it is."""
        if self._name:
            return self._name
        return CLUSTER_NAME if self.config == "single" else f"{CLUSTER_NAME}-{self.config}"

    def want_nodes(self, count: int) -> None:
        """The multi-node config when more than one node is wanted, unless a config was named."""
        super().want_nodes(count)
        if not self.chosen:
            self.config = MULTI_NODE_CONFIG if count > 1 else "single"

    def selection_env(self) -> dict[str, str]:
        return {"DEPLOYKIT_KIND_CONFIG": self.config}

    # ---- where things are ----------------------------------------------------------------

    @property
    def kubeconfig(self) -> str:
        return str(self.state / f"{self.name}.kubeconfig")

    @property
    def context(self) -> None:
        """None: the kubeconfig file holds this cluster alone, as its current context (kind-<name>);
        naming it again would add --context to every kubectl command shown to users."""
        return None

    @property
    def _marker(self) -> Path:
        """Written when this provider creates the cluster: its control-plane container's id."""
        return self.state / f"{self.name}.created"

    def describe(self) -> str:
        return f"kind (cluster {self.name}, config {self.config}.yaml)"

    def chart_values(self) -> dict:
        return {"postgresql": {"persistence": {"storageClass": STORAGE_CLASS}}}

    def reachable(self) -> bool:
        return Path(self.kubeconfig).is_file() and super().reachable()

    # ---- kind ----------------------------------------------------------------------------

    def _env(self) -> dict:
        """kind's environment: the docker shim first on PATH where --privileged fails as it is."""
        env = dict(os.environ)
        shim = unprivileged.docker_shim_dir()
        if shim:
            env["PATH"] = f"{shim}{os.pathsep}{env.get('PATH', '')}"
        return env

    def _kind_binary(self) -> Path:
        try:
            return build.kind_binary()
        except (CommandFailed, ToolMissing) as exc:
            raise ClusterUnavailable(f"kind {build.KIND_VERSION} cannot be built through the Go module proxy: "
                                     f"{exc}") from None

    def _kind(self, *args, timeout: float = 300, check: bool = True):
        return run([self._kind_binary(), *args], env=self._env(), timeout=timeout, check=check)

    def exists(self) -> bool:
        return self.name in self._kind("get", "clusters").stdout.split()

    def _control_plane_id(self) -> str:
        """"" when no such container answers (or no docker command: the default choice asks)."""
        try:
            answer = run(["docker", "inspect", "--format", "{{.Id}}", f"{self.name}-control-plane"], check=False)
        except ToolMissing:
            return ""
        return answer.stdout.strip() if answer.succeeded else ""

    def _write_kubeconfig(self) -> None:
        text = self._kind("get", "kubeconfig", "--name", self.name).stdout
        path = Path(self.kubeconfig)
        path.touch(mode=0o600)
        path.write_text(text)

    # ---- start ---------------------------------------------------------------------------

    def _require_engine(self) -> None:
        from deploykit.tools import engine

        engine.ensure_engine()  # EngineUnavailable says what to do
        if not shutil.which("docker"):
            raise ClusterUnavailable("kind drives the `docker` command, which is not on PATH; install the Docker CLI")

    def node_image(self) -> str | None:
        """The --image to pass: None where kind's own node image can be pulled (kind's default),
        else the one built here."""
        from deploykit.bases import catalog
        from deploykit.clusters.kind import nodeimage
        from deploykit.tools import engine

        if catalog.official_available(engine.ensure_engine(), build.KIND_NODE_IMAGE):
            return None
        try:
            with exclusive("kind-node-image"):
                return nodeimage.node_image()
        except DeploykitError as exc:
            raise ClusterUnavailable(f"the kind node image cannot be built here: {exc}") from None

    def effective_config(self, image: str | None) -> Path:
        """configs/<config>.yaml, plus the imageRepository patch for the node image built here."""
        config = yaml.safe_load((CONFIGS / f"{self.config}.yaml").read_text())
        if image:
            from deploykit.clusters.kind import nodeimage

            patches = config.setdefault("kubeadmConfigPatches", [])
            patches.append(IMAGE_REPOSITORY_PATCH.format(repository=nodeimage.IMAGE_REPOSITORY))
        path = self.state / f"{self.name}-{self.config}.yaml"
        path.write_text(yaml.safe_dump(config, sort_keys=False))
        return path

    def create_argv(self, image: str | None, config: Path) -> list[str]:
        return ["create", "cluster", "--name", self.name, "--config", str(config), "--kubeconfig", self.kubeconfig,
                "--wait", CREATE_WAIT, *(["--image", image] if image else [])]

    def start(self) -> None:
        self._require_engine()
        if self.exists():
            self._write_kubeconfig()
            if not super().reachable():
                raise ClusterUnavailable(f"kind cluster {self.name} exists but its API does not answer; "
                                         f"delete it with `kind delete cluster --name {self.name}` or start its nodes")
            logger.info(f"kind cluster {self.name} already exists; reusing it")
            self._wait_nodes_ready()
            return
        image = self.node_image()
        config = self.effective_config(image)
        logger.info(f"kind create cluster --name {self.name} ({self.config}.yaml, "
                    f"{image or 'kind default node image'}) ...")
        try:
            self._kind(*self.create_argv(image, config), timeout=CREATE_TIMEOUT_S)
        except CommandFailed as exc:
            raise ClusterUnavailable(f"kind create cluster {self.name} failed: {_tail(exc)}") from None
        self._marker.write_text(self._control_plane_id())
        self._wait_nodes_ready()
        logger.info(f"kind cluster {self.name} ready; KUBECONFIG={self.kubeconfig}")

    def _wait_nodes_ready(self) -> None:
        answer = self.kubectl()("wait", "--for=condition=Ready", "nodes", "--all", f"--timeout={NODES_READY_TIMEOUT}",
                                check=False, timeout=240)
        if not answer.succeeded:
            raise ClusterUnavailable(f"kind cluster {self.name}: nodes not Ready: "
                                     f"{(answer.stderr or answer.stdout).strip().splitlines()[-1:]}")

    # ---- images --------------------------------------------------------------------------

    def load_images(self, names):
        names = list(names)
        if not names:
            return
        logger.info(f"kind load docker-image {' '.join(names)} ...")
        try:
            self._kind("load", "docker-image", "--name", self.name, *names, timeout=900)
        except CommandFailed as exc:
            raise ClusterUnavailable(f"kind load docker-image into {self.name} failed: {_tail(exc)}") from None

    # ---- stop ----------------------------------------------------------------------------

    def created_here(self) -> bool:
        """This provider created the cluster that runs now (not one of the same name the user
        made, or made again, by hand)."""
        if not self._marker.is_file():
            return False
        created = self._marker.read_text().strip()
        return bool(created) and created == self._control_plane_id()

    def stop(self) -> None:
        if not self.created_here():
            logger.info(f"kind cluster {self.name} was not created by deploykit; leaving it running"
                        if self._control_plane_id() else f"no kind cluster {self.name} runs; nothing to stop")
            return
        logger.info(f"kind delete cluster --name {self.name} ...")
        try:
            self._kind("delete", "cluster", "--name", self.name, "--kubeconfig", self.kubeconfig, timeout=300)
        except CommandFailed as exc:
            raise ClusterUnavailable(f"kind delete cluster {self.name} failed: {_tail(exc)}") from None
        self._marker.unlink(missing_ok=True)

