"""What the values do: images, replicas, probes, shutdown, configuration and secrets as each
values file and --set variant renders them."""

import base64
from urllib.parse import urlsplit

import pytest
import yaml

from deploykit.chart import manifests, policy, relations
from deploykit.chart.policy import RECOMMENDED_LABELS
from deploykit.foundation import paths

APP_VERSION = yaml.safe_load((paths.CHART / "Chart.yaml").read_text())["appVersion"]
DIGEST = "sha256:" + "0123456789abcdef" * 4  # the mirror variant's backend digest


def _container(rendering, kind, component):
    return rendering.one(kind, component=component).pod_spec["containers"][0]


def _secret_data(rendering) -> dict:
    secret = rendering.one("Secret")
    return {key: base64.b64decode(value).decode() for key, value in secret.body["data"].items()}


def _env(container) -> dict:
    return {env["name"]: env for env in container.get("env", [])}


# -- images -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kind, component, image",
    [
        ("Deployment", "backend", f"todo-list-hackathon/backend:{APP_VERSION}"),
        ("Deployment", "frontend", f"todo-list-hackathon/frontend:{APP_VERSION}"),
        ("Job", "migration", f"todo-list-hackathon/backend:{APP_VERSION}"),
        ("StatefulSet", "postgresql", "postgres:16-alpine"),
    ],
)
def test_defaults_image_to_app_version_or_official_image(kind, component, image, renderings):
    assert _container(renderings["default"], kind, component)["image"] == image


@pytest.mark.parametrize(
    "kind, component, image",
    [
        ("Deployment", "backend", f"registry.local:5000/todo-list-hackathon/backend:{APP_VERSION}@{DIGEST}"),
        ("Deployment", "frontend", f"registry.local:5000/todo-list-hackathon/frontend:{APP_VERSION}"),
        ("StatefulSet", "postgresql", "registry.local:5000/postgres:16-alpine"),
    ],
)
def test_repoints_every_image_to_global_registry(kind, component, image, renderings):
    assert _container(renderings["mirror-registry-pinned-digest"], kind, component)["image"] == image


def test_repoints_helm_test_image_to_global_registry(renderings):
    images = {
        pod.pod_spec["containers"][0]["image"] for pod in renderings["mirror-registry-pinned-digest"].select("Pod")
    }
    assert images == {"registry.local:5000/busybox:1.36"}


@pytest.mark.parametrize("variant_name", ("local", "local-ephemeral-database"))
def test_never_pulls_images_built_on_the_node(variant_name, renderings):
    """A missing image fails fast (ErrImageNeverPull) instead of running a stale one from a registry."""
    for component in ("backend", "frontend"):
        assert _container(renderings[variant_name], "Deployment", component)["imagePullPolicy"] == "Never"


def test_never_runs_a_stale_copy_of_a_tag_in_production(renderings):
    """A tag may be pushed again: production pulls at every start, unless a digest pins the image."""
    for component in ("backend", "frontend"):
        container = _container(renderings["production"], "Deployment", component)
        assert container["imagePullPolicy"] == "Always" or "@sha256:" in container["image"], container["image"]


def test_renders_no_pull_secrets_by_default(renderings):
    assert not [m.ref for m in renderings["default"].pod_owners if "imagePullSecrets" in m.pod_spec]


# -- replicas and scaling ---------------------------------------------------------------------


@pytest.mark.parametrize("component", ("backend", "frontend"))
def test_runs_one_replica_locally(component, renderings):
    assert renderings["local"].one("Deployment", component=component).get("spec.replicas") == 1


@pytest.mark.parametrize("component", ("backend", "frontend"))
def test_runs_at_least_two_replicas_in_production(component, renderings):
    rendering = renderings["production"]
    assert rendering.one("HorizontalPodAutoscaler", component=component).get("spec.minReplicas") >= 2
    budget = rendering.one("PodDisruptionBudget", component=component)
    # one pod at a time may go, and one stays serving (relations.disruption_budget_findings)
    assert not relations.disruption_budget_findings(rendering, budget)


def test_publishes_production_through_tls_ingress(renderings):
    ingress = renderings["production"].one("Ingress")
    assert ingress.get("spec.rules")[0]["host"] == "todo.example.com"
    assert ingress.get("spec.tls") == [{"hosts": ["todo.example.com"], "secretName": "todo-tls"}]


# -- probes and shutdown: the rules in docs/LIMITS.md (Probes, Shutdown) -------------------------


def test_takes_pod_out_of_service_before_restarting_it(deployment):
    findings = policy.probe_timing_findings(deployment, deployment.pod_spec["containers"][0])
    assert not findings, "\n".join(map(str, findings))


def test_guards_cold_start_with_fast_startup_probe(deployment):
    startup = deployment.pod_spec["containers"][0]["startupProbe"]
    assert 1 <= startup["periodSeconds"] <= 5
    assert startup["periodSeconds"] * startup["failureThreshold"] >= 30, "a cold start may take 30 s"


def test_pauses_natively_before_stop(deployment):
    """The sleep action needs no sleep binary in the image (Kubernetes >= 1.30)."""
    pre_stop = deployment.pod_spec["containers"][0]["lifecycle"]["preStop"]
    assert pre_stop["sleep"]["seconds"] >= 5


@pytest.mark.parametrize("variant_name", ("default", "production"))
def test_passes_a_drain_time_the_grace_period_covers_to_backend(variant_name, renderings):
    """The drain the backend is told (SHUTDOWN_GRACE_SECONDS) ends before SIGKILL: the grace period
    covers the preStop pause, that drain and the margin."""
    rendering = renderings[variant_name]
    drain = int(rendering.one("ConfigMap", component="backend").body["data"]["SHUTDOWN_GRACE_SECONDS"])
    backend = rendering.one("Deployment", component="backend")
    findings = policy.shutdown_findings(backend, backend.pod_spec["containers"][0], drain_seconds=drain)
    assert drain > 0 and not findings, "\n".join(map(str, findings))


# -- configuration ------------------------------------------------------------------------------


def test_points_frontend_at_backend_service(renderings):
    rendering = renderings["default"]
    backend = rendering.one("Service", component="backend")
    backend_url = rendering.one("ConfigMap", component="frontend").body["data"]["BACKEND_URL"]
    assert backend_url == f"http://{backend.name}:{backend.get('spec.ports')[0]['port']}"


def test_leaves_migration_to_hook_job(variant, renderings):
    assert renderings[variant].one("ConfigMap", component="backend").body["data"]["MIGRATE_ON_START"] == "false"


@pytest.mark.parametrize("component, port, target", [("frontend", 80, 8080), ("backend", 8000, 8000)])
def test_exposes_service_port_on_container_port(component, port, target, renderings):
    rendering = renderings["default"]
    service_port = rendering.one("Service", component=component).get("spec.ports")[0]
    container_ports = {p["name"]: p["containerPort"] for p in _container(rendering, "Deployment", component)["ports"]}
    assert (service_port["port"], container_ports[service_port["targetPort"]]) == (port, target)


@pytest.mark.parametrize(
    "changed, rolled",
    [
        ({"backend.config.logLevel": "debug"}, {"backend"}),
        ({"backend.service.port": 8001}, {"frontend"}),  # BACKEND_URL changes
        ({"secrets.jwtSecret": "x" * 40}, {"backend"}),
    ],
    ids=["backend-log-level", "backend-service-port", "jwt-secret"],
)
def test_rolls_only_pods_whose_configuration_changed(changed, rolled, renderings):
    before, after = renderings["default"], renderings.render(extra_values=changed)

    def sums(rendering, component):
        annotations = rendering.one("Deployment", component=component).get("spec.template.metadata.annotations")
        return {k: v for k, v in annotations.items() if k.startswith("checksum/")}

    assert {c for c in ("backend", "frontend") if sums(before, c) != sums(after, c)} == rolled


# -- secrets -------------------------------------------------------------------------------------


def test_builds_database_url_for_in_cluster_postgresql(renderings):
    rendering = renderings["default"]
    data = _secret_data(rendering)
    url = urlsplit(data["DATABASE_URL"])
    assert url.scheme == "postgresql"
    assert (url.username, url.password, url.port, url.path) == ("todo", data["POSTGRES_PASSWORD"], 5432, "/todo")
    assert url.hostname == rendering.one("Service", component="postgresql").name


def test_generates_long_random_secrets_when_none_given(renderings):
    data = _secret_data(renderings["default"])
    # at least the 32 characters the chart requires of a given JWT secret (templates/_validate.tpl)
    assert len(data["JWT_SECRET"]) >= 32 and len(data["POSTGRES_PASSWORD"]) >= 32


def test_stores_given_database_url_and_api_key(renderings):
    rendering = renderings["external-database-url"]
    data = _secret_data(rendering)
    assert data["DATABASE_URL"] == "postgresql://todo:secret@db.internal:5432/todo"
    assert data["OPENAI_API_KEY"] == "sk-test-not-a-key"
    assert "OPENAI_API_KEY" in _env(_container(rendering, "Deployment", "backend"))


def test_reads_production_secrets_only_from_existing_secrets(renderings):
    rendering = renderings["production"]
    assert not rendering.select("Secret"), "production must not render secret values"
    env = _env(_container(rendering, "Deployment", "backend"))
    refs = {name: env[name]["valueFrom"]["secretKeyRef"] for name in ("DATABASE_URL", "JWT_SECRET", "OPENAI_API_KEY")}
    assert refs["DATABASE_URL"] == {"name": "todo-database", "key": "DATABASE_URL"}
    assert refs["JWT_SECRET"] == {"name": "todo-app", "key": "JWT_SECRET"}
    assert refs["OPENAI_API_KEY"] == {"name": "todo-app", "key": "OPENAI_API_KEY", "optional": True}


def test_gives_migration_the_backend_settings(variant, renderings):
    rendering = renderings[variant]
    job_env = _env(_container(rendering, "Job", "migration"))
    config = rendering.one("ConfigMap", component="backend").body["data"]
    backend_env = _env(_container(rendering, "Deployment", "backend"))
    # A setting an existing Secret may override comes to both from that Secret, the same way.
    from_config = {name: job_env[name]["value"] for name in config if "value" in job_env[name]}
    assert from_config == {name: value for name, value in config.items() if name not in backend_env}
    assert {name: job_env[name] for name in backend_env} == backend_env


# -- names, scheduling, service account ------------------------------------------------------------


@pytest.mark.parametrize(
    "release, extra_values, backend_name",
    [
        ("todo-list-hackathon", {}, "todo-list-hackathon-backend"),  # the release already names the chart
        ("shop", {}, "shop-todo-list-hackathon-backend"),
        ("shop", {"fullnameOverride": "todo"}, "todo-backend"),
        ("shop", {"fullnameOverride": "a" * 63}, "a" * 55 + "-backend"),  # cut to 63, keeping the component
    ],
    ids=["release-with-chart-name", "other-release", "full-name-override", "long-full-name"],
)
def test_names_objects_after_release_and_component(release, extra_values, backend_name, renderings):
    rendering = renderings.render(release=release, extra_values=extra_values)
    assert rendering.one("Deployment", component="backend").name == backend_name
    assert len(rendering.one("Service", component="frontend").name) <= 63


def test_replaces_chart_name_in_labels_with_name_override(renderings):
    rendering = renderings.render(extra_values={"nameOverride": "todo"})
    assert rendering.one("Deployment", component="backend").labels["app.kubernetes.io/name"] == "todo"


@pytest.mark.parametrize(
    "kind, component", [("Deployment", "backend"), ("Deployment", "frontend"), ("Job", "migration")]
)
def test_schedules_pods_on_chosen_nodes(kind, component, renderings):
    pod_spec = renderings["node-pool-and-own-service-account"].one(kind, component=component).pod_spec
    assert pod_spec["nodeSelector"] == {"pool": "apps"}
    assert pod_spec["tolerations"][0]["key"] == "dedicated"


@pytest.mark.parametrize("component", ("backend", "frontend"))
def test_adds_pod_annotations_labels_and_affinity(component, renderings):
    deployment = renderings["node-pool-and-own-service-account"].one("Deployment", component=component)
    assert deployment.get("spec.template.metadata.annotations")["example.com/team"] == "todo"
    assert deployment.pod_labels["example.com/team"] == "todo"
    assert "example.com/team" not in deployment.labels, "pod labels belong to the pods only"
    assert "nodeAffinity" in deployment.pod_spec["affinity"]


def test_runs_as_existing_service_account_without_creating_one(renderings):
    rendering = renderings["node-pool-and-own-service-account"]
    assert not rendering.select("ServiceAccount")
    for component in ("backend", "frontend"):
        assert rendering.one("Deployment", component=component).pod_spec["serviceAccountName"] == "todo-runner"


def test_claims_database_storage_from_chosen_class(renderings):
    statefulset = renderings["node-pool-and-own-service-account"].one("StatefulSet", component="postgresql")
    assert statefulset.get("spec.volumeClaimTemplates")[0]["spec"]["storageClassName"] == "fast-ssd"


def test_annotates_service_account(renderings):
    annotations = {"iam.example.com/role": "todo"}
    rendering = renderings.render(extra_values={"serviceAccount.annotations": annotations})
    assert rendering.one("ServiceAccount").annotations == annotations


# -- every pod of every variant: pull secrets and extra labels -----------------------------------

PULL_SECRETS = ["registry-a", {"name": "registry-b"}, "registry-a"]  # both forms, one name twice
# Where each component's pods take their extra labels from; the label's value names the source.
POD_LABELS_OF = {
    "backend": "backend.podLabels",
    "migration": "backend.migration.podLabels",
    "frontend": "frontend.podLabels",
    "postgresql": "postgresql.podLabels",
    "test": "tests.podLabels",
}
POD_LABEL = "example.com/labels-from"


@pytest.fixture(scope="module")
def with_pod_extras(renderings) -> dict:
    """Every variant rendered with the values every pod must carry."""
    return renderings.render_every_variant(
        {"global.imagePullSecrets": PULL_SECRETS, **{key: {POD_LABEL: key} for key in POD_LABELS_OF.values()}}
    )


def _pod_owners(variant, renderings, with_pod_extras) -> list:
    owners = renderings.with_extras(variant, with_pod_extras).pod_owners
    assert owners, "the rendering runs no pod"
    return owners


def test_gives_every_pod_the_pull_secrets_once(variant, renderings, with_pod_extras):
    expected = [{"name": "registry-a"}, {"name": "registry-b"}]
    wrong = {
        m.ref: m.pod_spec.get("imagePullSecrets")
        for m in _pod_owners(variant, renderings, with_pod_extras)
        if m.pod_spec.get("imagePullSecrets") != expected
    }
    assert not wrong, f"pod specs without {expected}: {wrong}"


def test_labels_every_pod_from_its_components_pod_labels(variant, renderings, with_pod_extras):
    wrong = {
        m.ref: m.pod_labels.get(POD_LABEL)
        for m in _pod_owners(variant, renderings, with_pod_extras)
        if m.pod_labels.get(POD_LABEL) != POD_LABELS_OF.get(m.component)
    }
    assert not wrong, f"pods whose {POD_LABEL} is not their component's podLabels: {wrong}"


def test_keeps_chart_labels_and_selectors_beside_pod_labels(variant, renderings, with_pod_extras):
    """Extra labels only add: the selectors and the chart's own pod labels stay as reviewed."""
    own = (*RECOMMENDED_LABELS, manifests.COMPONENT_LABEL)
    for owner in _pod_owners(variant, renderings, with_pod_extras):
        reviewed = renderings[variant].one(owner.kind, name=owner.name)
        assert {k: owner.pod_labels.get(k) for k in own} == {k: reviewed.pod_labels.get(k) for k in own}, owner.ref
        assert owner.get("spec.selector") == reviewed.get("spec.selector"), owner.ref

