"""A release of the chart under test on one cluster and namespace, as the cluster layer drives it:
install, upgrade with changed values, roll back, `helm test`; and its objects, found by their
labels rather than rebuilt from the chart's naming rules (which values can override)."""

from dataclasses import dataclass, field
from pathlib import Path

from deploykit.clusters import workloads
from deploykit.clusters.base import Cluster
from deploykit.foundation import constants, paths
from deploykit.foundation.errors import ClusterOperationFailed
from deploykit.foundation.run import CommandResult
from deploykit.release.install import upgrade_install
from deploykit.tools.helm import Helm
from deploykit.tools.kubectl import Kubectl


def backend_test_values(version: str) -> dict:
    """The backend's extra settings in a test install: the version /health reports, so traffic
    can tell which revision answered, and the debug routes the probe checks use to hang it."""
    return {"backend.extraEnv": [{"name": "APP_VERSION", "value": version},
                                 {"name": "DEBUG_SLOW_ENDPOINT", "value": "true"}]}


def image_version_values(version: str, components: tuple[str, ...] = ("backend",)) -> dict:
    """--set values that run `version` of the components' images, the backend reporting it."""
    return {f"{component}.image.tag": version for component in components} | backend_test_values(version)


@dataclass
class Release:
    cluster: Cluster
    helm: Helm
    name: str
    namespace: str
    values: list[Path]
    #: --set-json values of the deployed revision (key path -> value).
    set_values: dict = field(default_factory=dict)
    #: The chart installed: the working tree's, or another revision's (an upgrade test's base).
    chart: Path = paths.CHART
    #: (chart, values, set_values) by revision, so a rollback knows what it brought back.
    _revisions: dict = field(default_factory=dict, init=False)

    def __repr__(self) -> str:
        return f"Release({self.name} in namespace {self.namespace}, set {self.set_values})"

    @property
    def kubectl(self) -> Kubectl:
        return self.cluster.kubectl()

    # -- helm verbs ------------------------------------------------------------------------------

    def install(self) -> None:
        """helm upgrade --install --wait; a failed install is removed, a failed upgrade rolled back."""
        upgrade_install(self.cluster, self.helm, self.values, self.name, self.namespace, self.set_values, self.chart)
        self._revisions[self.revision()] = (self.chart, list(self.values), dict(self.set_values))

    def upgrade(self, changes: dict, chart: Path | None = None, values: list[Path] | None = None) -> None:
        """A new revision with `changes` on top of the current values (each replaces its key),
        optionally of another chart with other values files (an upgrade from a base revision)."""
        previous = (self.chart, self.values, dict(self.set_values))
        self.chart, self.values = chart or self.chart, values or self.values
        self.set_values.update(changes)
        try:
            self.install()
        except Exception:
            self.chart, self.values, self.set_values = previous
            raise

    def rollback(self, revision: int) -> None:
        self.helm.rollback(self.name, revision, namespace=self.namespace)
        chart, values, set_values = self._revisions[revision]
        self.chart, self.values, self.set_values = chart, list(values), dict(set_values)
        self._revisions[self.revision()] = (self.chart, list(self.values), dict(self.set_values))

    def revision(self) -> int:
        return self.helm.history(self.name, namespace=self.namespace)[-1]["revision"]

    def test(self) -> CommandResult:
        """`helm test --logs`: the test pods' output is in the result (they are kept until the
        next run, so helm can read it)."""
        return self.helm.test(self.name, namespace=self.namespace)

    def status(self) -> dict:
        return self.helm.status(self.name, namespace=self.namespace)

    # -- objects ---------------------------------------------------------------------------------

    def selector(self, component: str | None = None) -> str:
        return constants.selector(self.name, component)

    def components_selector(self, components: tuple[str, ...]) -> str:
        """The label selector of the release's pods of these components (not its test pods, nor
        clients wearing their labels)."""
        return f"{constants.selector(self.name)},{constants.COMPONENT_LABEL} in ({','.join(components)})"

    def serving_pods(self, component: str | None = None) -> list[dict]:
        """The release's (or one component's) pods that serve: see workloads.serving_pods."""
        return workloads.serving_pods(workloads.pods(self.kubectl, self.namespace, self.selector(component)))

    def object_name(self, kind: str, component: str) -> str:
        """The one object of `kind` (deployment, service, statefulset...) of a component."""
        names = self.kubectl("get", kind, "-n", self.namespace, "-l", self.selector(component),
                             "-o", "jsonpath={.items[*].metadata.name}").stdout.split()
        if len(names) != 1:
            raise ClusterOperationFailed(f"release {self.name} has {len(names)} {kind}(s) of component "
                                         f"{component} in namespace {self.namespace}, expected 1: {names}")
        return names[0]

    def service_url(self, component: str, path: str) -> str:
        """URL of a component's Service from a pod of the same namespace."""
        service = self.kubectl.get_json("service", self.object_name("service", component), "-n", self.namespace)
        return f"http://{service['metadata']['name']}:{service['spec']['ports'][0]['port']}{path}"

    def selector_labels(self, component: str) -> dict:
        """The labels the release's Services and NetworkPolicies select a component's pods by (the
        frontend Service's selector, its component swapped)."""
        service = self.kubectl.get_json("service", self.object_name("service", "frontend"), "-n", self.namespace)
        return {**service["spec"]["selector"], constants.COMPONENT_LABEL: component}

    def test_pod_labels(self) -> dict:
        """Labels of the chart's helm test pods: the release's NetworkPolicies let pods that carry
        them reach the frontend and the backend, so an in-cluster test client wears them too."""
        return self.selector_labels(constants.HELM_TEST_COMPONENT)

    def psql(self, sql: str, database: str | None = None) -> str:
        """Run SQL in the in-cluster PostgreSQL as its owner, over the pod's local socket (which
        needs no password); returns the unaligned, tuples-only output."""
        statefulset = self.object_name("statefulset", "postgresql")
        spec = self.kubectl.get_json("statefulset", statefulset, "-n", self.namespace)["spec"]
        env = {e["name"]: e.get("value") for e in spec["template"]["spec"]["containers"][0]["env"]}
        return self.kubectl("-n", self.namespace, "exec", f"{statefulset}-0", "--", "psql", "-U", env["POSTGRES_USER"],
                            "-d", database or env["POSTGRES_DB"], "-v", "ON_ERROR_STOP=1", "-tAc", sql).stdout.strip()

    def database_name(self) -> str:
        return self.psql("SELECT current_database()")

    def container_image(self, component: str) -> tuple[str, str]:
        """(image, imagePullPolicy) the component's pods run, as the chart resolved them."""
        deployment = self.kubectl.get_json("deployment", self.object_name("deployment", component),
                                           "-n", self.namespace)
        container = deployment["spec"]["template"]["spec"]["containers"][0]
        return container["image"], container.get("imagePullPolicy", "IfNotPresent")
