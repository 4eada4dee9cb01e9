"""The render layer's fixtures: the chart rendered through the real helm, once per variant per
session, and the tables that say what each rendering must contain.

Object-level tests take a `pod_owner`, `workload`, `deployment` or `service_in_rendering`
argument; pytest_generate_tests below turns it into one test id per variant and object (e.g.
`local:Deployment/backend`), so a policy finding names its object in the test id as well as in
the message.
"""

import functools
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml
from syrupy.extensions.single_file import SingleFileSnapshotExtension, WriteMode

from deploykit.chart import manifests
from deploykit.foundation import paths
from deploykit.tools.helm import Helm, concurrently

RELEASE = "todo-list-hackathon"  # contains the chart name, so objects are named <release>-<component>
NAMESPACE = "todo"


@dataclass(frozen=True)
class Variant:
    """One way of installing the chart: values files (in the chart folder) plus --set values."""

    values_files: tuple[str, ...] = ()
    set_values: dict = field(default_factory=dict)
    in_cluster_database: bool = True  # whether it renders the PostgreSQL StatefulSet

    def values_in(self, chart) -> list:
        return [chart / name for name in self.values_files]


# What chart-testing (`ct lint`, `ct install`) runs: each file alone over values.yaml.
CI_VALUES = tuple(sorted(path.relative_to(paths.CHART).as_posix() for path in paths.CHART.glob("ci/*-values.yaml")))

VARIANTS = {
    "default": Variant(("ci/default-values.yaml",)),  # empty: the chart's defaults
    "local": Variant(("values-local.yaml",)),
    "production": Variant(("values-production.yaml",), in_cluster_database=False),
    "local-ephemeral-database": Variant(("values-local.yaml",), {"postgresql.persistence.enabled": False}),
    "external-database-url": Variant(
        (),
        {
            "postgresql.enabled": False,
            "externalDatabase.url": "postgresql://todo:secret@db.internal:5432/todo",
            "secrets.openaiApiKey": "sk-test-not-a-key",
        },
        in_cluster_database=False,
    ),
    "mirror-registry-pinned-digest": Variant(
        (),
        {
            "global.imageRegistry": "registry.local:5000",
            "global.imagePullSecrets": ["mirror-credentials"],
            "backend.image.digest": "sha256:" + "0123456789abcdef" * 4,
        },
    ),
    "node-pool-and-own-service-account": Variant(
        (),
        {
            "serviceAccount.create": False,
            "serviceAccount.name": "todo-runner",
            "postgresql.persistence.storageClass": "fast-ssd",
            **{
                f"{component}.{key}": value
                for component in ("backend", "frontend")
                for key, value in {
                    "nodeSelector": {"pool": "apps"},
                    "tolerations": [{"key": "dedicated", "operator": "Equal", "value": "apps", "effect": "NoSchedule"}],
                    "affinity": {
                        "nodeAffinity": {
                            "requiredDuringSchedulingIgnoredDuringExecution": {
                                "nodeSelectorTerms": [
                                    {"matchExpressions": [{"key": "pool", "operator": "In", "values": ["apps"]}]}
                                ]
                            }
                        }
                    },
                    "podAnnotations": {"example.com/team": "todo"},
                    "podLabels": {"example.com/team": "todo"},
                }.items()
            },
        },
    ),
    "ingress-tls-without-networkpolicy": Variant(("ci/ingress-tls-without-networkpolicy-values.yaml",)),
}


def _chart_testing_variant(values_file: str) -> Variant:
    values = yaml.safe_load((paths.CHART / values_file).read_text()) or {}
    return Variant((values_file,), in_cluster_database=(values.get("postgresql") or {}).get("enabled", True))


# Every ci/ file no variant above renders is a variant of its own, so every check of this layer
# runs on what chart-testing installs, and a new file cannot be left out.
_RENDERED = {name for variant in VARIANTS.values() for name in variant.values_files}
VARIANTS.update(
    {
        "ci-" + Path(name).name.removesuffix("-values.yaml"): _chart_testing_variant(name)
        for name in CI_VALUES
        if name not in _RENDERED
    }
)
# The variants that render a ci/ file, by the file.
CI_VARIANTS = {
    name: variant_name
    for variant_name, variant in VARIANTS.items()
    for name in variant.values_files
    if name in CI_VALUES
}
# Every values file a user or chart-testing passes on its own, relative to the chart.
VALUES_FILES = (*sorted(path.name for path in paths.CHART.glob("values*.yaml")), *CI_VALUES)


@dataclass(frozen=True)
class ObjectRef:
    """An object every rendering of a variant must contain, named without the release prefix."""

    kind: str
    short_name: str

    @property
    def name(self) -> str:
        return f"{RELEASE}-{self.short_name}"

    def __str__(self) -> str:
        return f"{self.kind}/{self.short_name}"


DEPLOYMENTS = (ObjectRef("Deployment", "backend"), ObjectRef("Deployment", "frontend"))
DATABASE = ObjectRef("StatefulSet", "postgresql")
MIGRATION = ObjectRef("Job", "migration")
HELM_TESTS = (ObjectRef("Pod", "test-frontend"), ObjectRef("Pod", "test-database"), ObjectRef("Pod", "test-api-proxy"))


def workloads(variant: Variant) -> list[ObjectRef]:
    """The long-running workloads a variant renders."""
    return [*DEPLOYMENTS, *([DATABASE] if variant.in_cluster_database else [])]


def pod_owners(variant: Variant) -> list[ObjectRef]:
    """Everything that runs a pod: workloads, the migration Job and the helm test pods."""
    return [*workloads(variant), MIGRATION, *HELM_TESTS]


# ###################################################################################### hooks ##


def _object_cases(refs_of) -> list:
    """(variant name, ObjectRef) params with ids like `local:Deployment/backend`."""
    return [((name, ref), f"{name}:{ref}") for name, variant in VARIANTS.items() for ref in refs_of(variant)]


def pytest_generate_tests(metafunc):
    cases = {
        "variant": [(name, name) for name in VARIANTS],
        "values_file": [(name, name) for name in VALUES_FILES],
        "ci_variant": [(variant_name, name) for name, variant_name in CI_VARIANTS.items()],
        "pod_owner": _object_cases(pod_owners),
        "workload": _object_cases(workloads),
        "deployment": _object_cases(lambda variant: DEPLOYMENTS),
        "service_in_rendering": _object_cases(
            lambda variant: [ObjectRef("Service", w.short_name) for w in workloads(variant)]
        ),
    }
    for argument, params_and_ids in cases.items():
        if argument in metafunc.fixturenames:
            params, ids = zip(*params_and_ids, strict=True)
            metafunc.parametrize(argument, params, ids=ids, indirect=argument in OBJECT_FIXTURES)


# ################################################################################### fixtures ##


@pytest.fixture(scope="session")
def helm(helm_binary) -> Helm:
    """The real helm (deploykit's helm_binary fixture skips, or fails in CI, without one)."""
    return Helm(helm_binary)


class Renderings:
    """Every variant rendered (side by side) on first use and kept for the session."""

    def __init__(self, helm: Helm):
        self._helm = helm
        self._cache: dict[str, manifests.Rendering | Exception] | None = None
        self._notes: dict[str, str] = {}

    def __getitem__(self, variant_name: str) -> manifests.Rendering:
        if self._cache is None:
            self._cache = concurrently({name: functools.partial(self.render, name) for name in VARIANTS})
        rendering = self._cache[variant_name]
        if isinstance(rendering, Exception):
            raise rendering
        return rendering

    def object(self, variant_name: str, ref: ObjectRef) -> manifests.Manifest:
        return self[variant_name].one(ref.kind, name=ref.name)

    def render(
        self, variant_name: str = "default", *, chart=paths.CHART, extra_values=None, release=RELEASE
    ) -> manifests.Rendering:
        """A variant rendered afresh; tests that compare a change with the reviewed rendering pass
        an edited copy of the chart, extra --set values or another release name."""
        variant = VARIANTS[variant_name]
        set_values = {**variant.set_values, **(extra_values or {})}
        text = self._helm.template(
            chart, release, namespace=NAMESPACE, values=variant.values_in(chart), set_values=set_values
        )
        return manifests.parse(text)

    def render_every_variant(self, extra_values: dict) -> dict[str, manifests.Rendering | Exception]:
        """Every variant rendered afresh (side by side) with the same extra --set values, for
        values that must reach every pod whatever else a variant sets."""
        return concurrently(
            {name: functools.partial(self.render, name, extra_values=extra_values) for name in VARIANTS}
        )

    def notes(self, variant_name: str) -> str:
        """NOTES.txt as an install of the variant prints it (rendered once)."""
        if variant_name not in self._notes:
            variant = VARIANTS[variant_name]
            self._notes[variant_name] = self._helm.notes(
                paths.CHART,
                RELEASE,
                namespace=NAMESPACE,
                values=variant.values_in(paths.CHART),
                set_values=variant.set_values,
            )
        return self._notes[variant_name]


@pytest.fixture(scope="session")
def renderings(helm) -> Renderings:
    return Renderings(helm)


@pytest.fixture(scope="session")
def values_files() -> tuple[str, ...]:
    """VALUES_FILES, for module fixtures that lint them all at once."""
    return VALUES_FILES


def _rendered_object(request, renderings) -> manifests.Manifest:
    variant_name, ref = request.param
    return renderings.object(variant_name, ref)


pod_owner = pytest.fixture(_rendered_object, name="pod_owner")
workload = pytest.fixture(_rendered_object, name="workload")
deployment = pytest.fixture(_rendered_object, name="deployment")


@pytest.fixture
def service_in_rendering(request, renderings) -> tuple[manifests.Rendering, manifests.Manifest]:
    """A Service with the rendering it belongs to, for checks against the pods it selects."""
    variant_name, ref = request.param
    return renderings[variant_name], renderings.object(variant_name, ref)


OBJECT_FIXTURES = ("pod_owner", "workload", "deployment", "service_in_rendering")


class RenderedChartSnapshot(SingleFileSnapshotExtension):
    """One YAML file per rendering, volatile fields redacted (deploykit.chart.manifests.snapshot_text):
    a reviewer reads a snapshot diff as a manifest diff."""

    file_extension = "yaml"
    _write_mode = WriteMode.TEXT

    def serialize(self, data, **_options) -> str:
        return manifests.snapshot_text(data)


@pytest.fixture
def chart_snapshot(snapshot):
    return snapshot.use_extension(RenderedChartSnapshot)


@pytest.fixture(scope="session")
def chart_snapshot_extension() -> RenderedChartSnapshot:
    """The extension itself, for the test that proves a template change fails the comparison."""
    return RenderedChartSnapshot()
