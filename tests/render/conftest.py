"""The render layer's fixtures: the chart rendered through the real helm, once per variant per
session, and the tables that say what each rendering must contain.

Object-level tests take a `pod_owner`, `workload`, `deployment`, `database`,
`deployment_in_rendering`, `service_in_rendering` or `route_in_rendering` argument;
pytest_generate_tests below turns it into one test id per variant and object (e.g.
`local:Deployment/backend`), so a policy finding names its object in the test id as well as in
the message.
"""

import functools
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from syrupy.extensions.single_file import SingleFileSnapshotExtension, WriteMode

from deploykit.chart import manifests
from deploykit.foundation import paths
from deploykit.testing.outcomes import Failure, first_failure, report, skip_if_failed
from deploykit.testing.pytestrun import run_pytest, start_side_by_side
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

    def describe(self) -> str:
        """The files and --set keys, as a person would pass them."""
        given = [*self.values_files, *(f"--set {key}" for key in self.set_values)]
        return ", ".join(given) or DEFAULT_VALUES


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
    # Both exposures at once, as while moving from the Ingress to the HTTPRoute: same host.
    "httproute-beside-tls-ingress": Variant(
        ("ci/ingress-tls-without-networkpolicy-values.yaml",),
        {
            "httpRoute.enabled": True,
            "httpRoute.parentRefs": [{"name": "public", "namespace": "gateway-system"}],
            "httpRoute.hostnames": ["todo.local"],
        },
    ),
}


def _ci_variant_name(values_file: str) -> str:
    """The variant that renders a ci/ file no variant above renders: ci/local-values.yaml's is
    ci-local."""
    return "ci-" + Path(values_file).name.removesuffix("-values.yaml")


def _chart_testing_variant(values_file: str) -> Variant:
    values = manifests.load_yaml((paths.CHART / values_file).read_text()) or {}
    return Variant((values_file,), in_cluster_database=(values.get("postgresql") or {}).get("enabled", True))


# Every ci/ file no variant above renders is a variant of its own, so every check of this layer
# runs on what chart-testing installs, and a new file cannot be left out.
_RENDERED = {name for variant in VARIANTS.values() for name in variant.values_files}
VARIANTS.update({_ci_variant_name(name): _chart_testing_variant(name) for name in CI_VALUES if name not in _RENDERED})
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
        """<release>-<short name>, or the release's full name alone for an empty short name."""
        return f"{RELEASE}-{self.short_name}" if self.short_name else RELEASE

    def __str__(self) -> str:
        return f"{self.kind}/{self.short_name or RELEASE}"


DEPLOYMENTS = (ObjectRef("Deployment", "backend"), ObjectRef("Deployment", "frontend"))
DATABASE = ObjectRef("StatefulSet", "postgresql")
MIGRATION = ObjectRef("Job", "migration")
HELM_TESTS = (ObjectRef("Pod", "test-frontend"), ObjectRef("Pod", "test-database"), ObjectRef("Pod", "test-api-proxy"))


def workloads(variant: Variant) -> list[ObjectRef]:
    """The long-running workloads a variant renders."""
    return [*DEPLOYMENTS, *([DATABASE] if variant.in_cluster_database else [])]


def _values(variant: Variant) -> dict:
    """values.yaml with the variant's files and --set values over it, as helm merges them."""

    def merge(base: dict, over: dict) -> dict:
        merged = dict(base)
        for key, value in over.items():
            both_maps = isinstance(value, dict) and isinstance(base.get(key), dict)
            merged[key] = merge(base[key], value) if both_maps else value
        return merged

    merged = manifests.load_yaml((paths.CHART / DEFAULT_VALUES).read_text())
    for name in variant.values_files:
        merged = merge(merged, manifests.load_yaml((paths.CHART / name).read_text()) or {})
    for dotted, value in variant.set_values.items():
        *parents, last = dotted.split(".")
        node = merged
        for key in parents:
            node = node.setdefault(key, {})
        node[last] = value
    return merged


def edge_routes(variant: Variant) -> list[ObjectRef]:
    """The HTTPRoute and the Ingress a variant publishes the frontend through (either, both or
    none), each named as the release."""
    values = _values(variant)
    kinds = (("HTTPRoute", "httpRoute"), ("Ingress", "ingress"))
    return [ObjectRef(kind, "") for kind, key in kinds if values[key]["enabled"]]


def pod_owners(variant: Variant) -> list[ObjectRef]:
    """Everything that runs a pod: workloads, the migration Job and the helm test pods."""
    return [*workloads(variant), MIGRATION, *HELM_TESTS]


# ###################################################################################### hooks ##


def _object_cases(refs_of) -> list:
    """(variant name, ObjectRef) params with ids like `local:Deployment/backend`."""
    return [((name, ref), f"{name}:{ref}") for name, variant in VARIANTS.items() for ref in refs_of(variant)]


@functools.cache
def _route_cases() -> list:
    """_object_cases(edge_routes), once: it reads the values files."""
    return _object_cases(edge_routes)


def pytest_generate_tests(metafunc):
    cases = {
        "variant": [(name, name) for name in VARIANTS],
        "values_file": [(name, name) for name in VALUES_FILES],
        "ci_variant": [(variant_name, name) for name, variant_name in CI_VARIANTS.items()],
        "pod_owner": _object_cases(pod_owners),
        "workload": _object_cases(workloads),
        "deployment": _object_cases(lambda variant: DEPLOYMENTS),
        "deployment_in_rendering": _object_cases(lambda variant: DEPLOYMENTS),
        "database": _object_cases(lambda variant: [DATABASE] if variant.in_cluster_database else []),
        "service_in_rendering": _object_cases(
            lambda variant: [ObjectRef("Service", w.short_name) for w in workloads(variant)]
        ),
        "route_in_rendering": _route_cases(),
        "helm_test_in_rendering": _object_cases(lambda variant: HELM_TESTS),
    }
    for argument, params_and_ids in cases.items():
        if argument in metafunc.fixturenames:
            params, ids = zip(*params_and_ids, strict=True)
            metafunc.parametrize(argument, params, ids=ids, indirect=argument in OBJECT_FIXTURES)


# A broken chart (tests/render/test_rendering.py): a sample of the layer run on a copy of the chart
# and on a copy with a ci/ values file that does not render, side by side.
BROKEN_CHART_TEST = "test_reports_unrenderable_values_file_once_in_its_usual_time"
BAD_VALUES = Path(__file__).parent / "fixtures" / "negative-replicas-values.yaml"
# The tests that read a variant's objects (most of the layer's dependent tests), of the default
# variant and of the one BAD_VALUES adds (-k picks them by the variant in their ids), and every
# reporting test, but not the one that compares the runs. The other variants' readers pass alike
# in both runs: they diluted the comparison, and took 0.7 s of CPU a run beside the layer.
LAYER_SAMPLE = (
    "tests/render/test_policy.py",
    "tests/render/test_rendering.py",
    "-k",
    f"not {BROKEN_CHART_TEST} and (test_rendering.py or default or {_ci_variant_name(BAD_VALUES.name)})",
)
# Only a run that never ends meets it: the test bounds the broken run by the passing one.
LAYER_SAMPLE_TIMEOUT_S = 300
_BROKEN_CHART_RUNS = pytest.StashKey[dict]()


def _start_broken_chart_runs(config) -> None:
    root = Path(tempfile.mkdtemp(prefix="render-layer-"))
    charts = {}
    for which in ("good", "bad"):
        charts[which] = root / which / paths.CHART.name
        shutil.copytree(paths.CHART, charts[which])
    shutil.copy(BAD_VALUES, charts["bad"] / "ci" / BAD_VALUES.name)
    future = start_side_by_side(
        {
            which: functools.partial(
                run_pytest,
                LAYER_SAMPLE,
                cwd=paths.REPO,
                env={"DEPLOYKIT_CHART": str(chart)},
                timeout=LAYER_SAMPLE_TIMEOUT_S,
            )
            for which, chart in charts.items()
        }
    )
    config.stash[_BROKEN_CHART_RUNS] = {"future": future, "root": root}


def pytest_collection_modifyitems(items):
    """The broken-chart test waits for its runs: last, it lets the whole layer overlap them."""
    items.sort(key=lambda item: getattr(item, "originalname", None) == BROKEN_CHART_TEST)


def pytest_collection_finish(session):
    """The runs the broken-chart test compares take seconds: they start as soon as that test is
    known to be selected (and to run: not under --collect-only), so they overlap the rest of the layer."""
    if session.config.option.collectonly:
        return
    if any(getattr(item, "originalname", None) == BROKEN_CHART_TEST for item in session.items):
        _start_broken_chart_runs(session.config)


def pytest_unconfigure(config):
    started = config.stash.get(_BROKEN_CHART_RUNS, None)
    if started:
        started["future"].result()
        shutil.rmtree(started["root"], ignore_errors=True)


# ################################################################################### fixtures ##


@pytest.fixture(scope="session")
def broken_chart_runs(request) -> dict:
    """{"good": PytestRun, "bad": PytestRun}: the layer's sample on a copy of the chart, and on a
    copy with BAD_VALUES in its ci/ folder (started at collection, awaited here)."""
    if _BROKEN_CHART_RUNS not in request.config.stash:
        _start_broken_chart_runs(request.config)
    return request.config.stash[_BROKEN_CHART_RUNS]["future"].result()


@pytest.fixture(scope="session")
def bad_values_fixture() -> Path:
    return BAD_VALUES


@pytest.fixture(scope="session")
def helm(helm_binary) -> Helm:
    """The real helm (deploykit's helm_binary fixture skips, or fails in CI, without one)."""
    return Helm(helm_binary)


# The values file every rendering starts from: every other file and every variant rests on it.
DEFAULT_VALUES = "values.yaml"
# The tests that report a rendering that fails (tests/render/test_rendering.py); every other test
# that reads the rendering skips, naming the one that reports it.
VALUES_FILE_REPORT = "test_rendering.py::test_renders_values_file[{}]"
VARIANT_REPORT = "test_rendering.py::test_renders_variant[{}]"


def _lone(values_file: str) -> Variant:
    """values.yaml alone (the chart's defaults), or one other values file over it."""
    return Variant(() if values_file == DEFAULT_VALUES else (values_file,))


# Values files a variant already renders alone, by the file; the others are rendered for their own.
LONE_VARIANTS = {
    variant.values_files[0]: name
    for name, variant in VARIANTS.items()
    if len(variant.values_files) == 1 and not variant.set_values
}


class Renderings:
    """Every variant, and every values file alone, rendered (side by side) on first use and kept
    for the session. A rendering that fails is kept as text (deploykit.testing.outcomes): one test
    per values file, or per variant when its --set values are the cause, fails with helm's error;
    every test that reads it skips as dependent on that test."""

    def __init__(self, helm: Helm):
        self._helm = helm
        self._variants: dict[str, manifests.Rendering | Failure] | None = None
        self._values_files: dict[str, Failure | None] = {}
        self._notes: dict[str, str] = {}

    def _rendered(self) -> dict[str, manifests.Rendering | Failure]:
        if self._variants is None:
            calls = {name: functools.partial(self._template, variant) for name, variant in VARIANTS.items()}
            calls |= {
                f"file:{name}": functools.partial(self._template, _lone(name))
                for name in VALUES_FILES
                if name not in LONE_VARIANTS
            }
            outcomes = concurrently(calls)

            def failure(key: str, what: str, reported_by: str) -> Failure | None:
                outcome = outcomes[key]
                return Failure.of(outcome, what, reported_by) if isinstance(outcome, Exception) else None

            self._values_files = {
                name: failure(LONE_VARIANTS.get(name, f"file:{name}"), name, VALUES_FILE_REPORT.format(name))
                for name in VALUES_FILES
            }
            self._variants = {
                name: failure(name, f"variant {name} ({variant.describe()})", VARIANT_REPORT.format(name))
                or outcomes[name]
                for name, variant in VARIANTS.items()
            }
        return self._variants

    def values_file_chain(self, values_file: str) -> list[Failure | None]:
        """values.yaml's failure, then the file's own (None where it renders)."""
        self._rendered()
        own = self._values_files[values_file]
        return [own] if values_file == DEFAULT_VALUES else [self._values_files[DEFAULT_VALUES], own]

    def variant_chain(self, variant_name: str) -> list[Failure | None]:
        """The failures a variant's rendering rests on: values.yaml's, each of its values files',
        then its own. Empty when it renders: a values file that fails alone may render with the
        variant's --set values."""
        outcome = self._rendered()[variant_name]
        if not isinstance(outcome, Failure):
            return []
        files = [self._values_files[name] for name in VARIANTS[variant_name].values_files]
        return [self._values_files[DEFAULT_VALUES], *files, outcome]

    def require_values(self, *values_files: str) -> None:
        """Skip, naming the test that reports it, when values.yaml or one of the files does not
        render alone: for checks (lint, bad values) that start from those files."""
        __tracebackhide__ = True
        for values_file in (DEFAULT_VALUES, *values_files):
            skip_if_failed(first_failure(self.values_file_chain(values_file)))

    def require_all(self) -> None:
        """Skip unless every values file and every variant renders."""
        __tracebackhide__ = True
        self.require_values(*VALUES_FILES)
        for variant_name in VARIANTS:
            self.require(variant_name)

    def require(self, variant_name: str) -> None:
        """Skip, naming the test that reports it, when the variant does not render."""
        __tracebackhide__ = True
        skip_if_failed(first_failure(self.variant_chain(variant_name)))

    def __getitem__(self, variant_name: str) -> manifests.Rendering:
        __tracebackhide__ = True
        self.require(variant_name)
        rendering = self._rendered()[variant_name]
        assert isinstance(rendering, manifests.Rendering)
        return rendering

    def object(self, variant_name: str, ref: ObjectRef) -> manifests.Manifest:
        return self[variant_name].one(ref.kind, name=ref.name)

    def _template(self, variant: Variant, *, chart=paths.CHART, extra_values=None, release=RELEASE):
        text = self._helm.template(
            chart,
            release,
            namespace=NAMESPACE,
            values=variant.values_in(chart),
            set_values={**variant.set_values, **(extra_values or {})},
        )
        return manifests.parse(text)

    def render(
        self, variant_name: str = "default", *, chart=paths.CHART, extra_values=None, release=RELEASE
    ) -> manifests.Rendering:
        """A variant rendered afresh; tests that compare a change with the reviewed rendering pass
        an edited copy of the chart, extra --set values or another release name. Skips when the
        variant itself does not render."""
        self.require(variant_name)
        return self._template(VARIANTS[variant_name], chart=chart, extra_values=extra_values, release=release)

    def render_every_variant(self, extra_values: dict) -> dict[str, manifests.Rendering | Exception]:
        """Every variant rendered afresh (side by side) with the same extra --set values, for
        values that must reach every pod whatever else a variant sets. Read each through
        with_extras, which skips a variant that does not render at all."""
        return concurrently(
            {
                name: functools.partial(self._template, variant, extra_values=extra_values)
                for name, variant in VARIANTS.items()
            }
        )

    def with_extras(self, variant_name: str, outcomes: dict) -> manifests.Rendering:
        """A variant's rendering from render_every_variant: skipped when the variant does not
        render without the extras, failed (with helm's error, afresh) when only the extras break it."""
        self.require(variant_name)
        outcome = outcomes[variant_name]
        if isinstance(outcome, Exception):
            report(Failure.of(outcome, f"variant {variant_name} with the extra values", ""), "does not render")
        return outcome

    def notes(self, variant_name: str) -> str:
        """NOTES.txt as an install of the variant prints it (rendered once)."""
        self.require(variant_name)
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
database = pytest.fixture(_rendered_object, name="database")


def _in_rendering(request, renderings) -> tuple[manifests.Rendering, manifests.Manifest]:
    """The object a test id names (request.param: variant, ref) with the rendering it belongs to."""
    variant_name, ref = request.param
    return renderings[variant_name], renderings.object(variant_name, ref)


@pytest.fixture
def deployment_in_rendering(request, renderings) -> tuple[manifests.Rendering, manifests.Manifest]:
    """A Deployment with the rendering it belongs to, for checks against the ConfigMaps it reads."""
    return _in_rendering(request, renderings)


@pytest.fixture
def service_in_rendering(request, renderings) -> tuple[manifests.Rendering, manifests.Manifest]:
    """A Service with the rendering it belongs to, for checks against the pods it selects."""
    return _in_rendering(request, renderings)


@pytest.fixture(scope="session")
def expected_routes() -> dict[str, list[str]]:
    """Each variant's routes as the route tests take them (edge_routes), by "Kind/name"."""
    return {name: sorted(f"{r.kind}/{r.name}" for r in edge_routes(variant)) for name, variant in VARIANTS.items()}


@pytest.fixture
def route_in_rendering(request, renderings) -> tuple[manifests.Rendering, manifests.Manifest]:
    """An HTTPRoute or Ingress with the rendering it belongs to, for checks against its Services."""
    return _in_rendering(request, renderings)


@pytest.fixture(scope="session")
def expected_pod_owners() -> dict[str, list[str]]:
    """Each variant's pod owners as the pod_owner tests take them (pod_owners), by "Kind/name"."""
    return {name: sorted(f"{r.kind}/{r.name}" for r in pod_owners(variant)) for name, variant in VARIANTS.items()}


@pytest.fixture
def helm_test_in_rendering(request, renderings) -> tuple[manifests.Rendering, manifests.Manifest]:
    """A `helm test` pod with the rendering it belongs to, for checks against the Services it calls."""
    return _in_rendering(request, renderings)


OBJECT_FIXTURES = (
    "pod_owner",
    "workload",
    "deployment",
    "database",
    "deployment_in_rendering",
    "service_in_rendering",
    "route_in_rendering",
    "helm_test_in_rendering",
)


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
