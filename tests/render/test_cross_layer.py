"""Cross-layer: the chart agrees with the images and the apps it deploys, read from their sources
(Dockerfiles, the backend's route table and settings, the frontend's nginx config) without
building or running anything."""

import functools
import re

import pytest
import yaml

from deploykit.chart import apptable, crosslayer
from deploykit.foundation import paths

# The variants a cluster really installs.
INSTALLED_VARIANTS = ("default", "local", "production")
# The backend's health routes by role (docs/LIMITS.md, Probes): liveness never touches the database.
BACKEND_ROUTE_ROLES = {"startupProbe": "/healthz", "livenessProbe": "/healthz", "readinessProbe": "/readyz"}
NGINX_CONFIG = crosslayer.NGINX_CONFIG


def _source(path, what):
    __tracebackhide__ = True
    if not path.exists():
        pytest.fail(f"{path.relative_to(paths.REPO)} is missing: {what}")
    return path


@pytest.fixture(scope="module")
def backend_routes():
    """The paths the backend answers GET on whatever its settings, read from its code."""
    table = apptable.route_table(_source(paths.BACKEND / "app", "the backend's code, whose routes the probes use"))
    return {route.path for route in table if route.method == "GET" and route.always}


@pytest.fixture(scope="module")
def image_of():
    """The final stage of a component's Dockerfile, read once; a missing Dockerfile fails only
    the tests of its own component."""

    @functools.cache
    def read(component: str) -> crosslayer.ImageFacts:
        dockerfile = getattr(paths, component.upper()) / "Dockerfile"
        reason = f"the {component} image; the chart's ports and users are checked against its final stage"
        return crosslayer.final_stage(_source(dockerfile, reason))

    return read


@pytest.fixture(scope="module")
def nginx_config():
    return _source(
        NGINX_CONFIG, "the frontend's nginx config; probes and writable paths are checked against it"
    ).read_text()


def _container(rendering, component):
    deployment = rendering.one("Deployment", component=component)
    return deployment, deployment.pod_spec["containers"][0]


def _writable_dirs(manifest, container):
    """Mount paths of the container's emptyDir volumes: what stays writable on a read-only root."""
    empty_dirs = {v["name"] for v in manifest.pod_spec.get("volumes", []) if "emptyDir" in v}
    return [m["mountPath"] for m in container.get("volumeMounts", []) if m["name"] in empty_dirs]


# -- probes and helm tests against the routes the apps serve -------------------------------------


@pytest.mark.parametrize("variant_name", INSTALLED_VARIANTS)
@pytest.mark.parametrize("probe", BACKEND_ROUTE_ROLES)
def test_probes_backend_route(variant_name, probe, renderings, backend_routes):
    _, container = _container(renderings[variant_name], "backend")
    path = container[probe]["httpGet"]["path"]
    assert path in backend_routes, f"backend {probe} GETs {path}, which no route in backend/app serves"
    assert path == BACKEND_ROUTE_ROLES[probe], f"backend {probe} must use {BACKEND_ROUTE_ROLES[probe]}, not {path}"


@pytest.mark.parametrize("variant_name", INSTALLED_VARIANTS)
@pytest.mark.parametrize("probe", ("startupProbe", "livenessProbe", "readinessProbe"))
def test_probes_frontend_nginx_location(variant_name, probe, renderings, nginx_config):
    _, container = _container(renderings[variant_name], "frontend")
    path = container[probe]["httpGet"]["path"]
    assert path in crosslayer.nginx_locations(nginx_config), (
        f"frontend {probe} GETs {path}, which nginx has no location for"
    )


def test_checks_backend_routes_in_helm_tests(renderings, backend_routes):
    """The test pods GET the backend directly and through the frontend's /api/ proxy."""
    urls = [
        url
        for pod in renderings["default"].select("Pod")
        for env in pod.pod_spec["containers"][0]["env"]
        if env["name"] == "URLS"
        for url in env["value"].split()
    ]
    backend_paths = ["/" + url.split("/", 3)[3] for url in urls if "-backend:" in url or "/api/" in url]
    assert backend_paths, "the helm tests check no backend route"
    for path in backend_paths:
        assert path in backend_routes, f"a helm test GETs {path}, which no route in backend/app serves"


# -- ports and users against the images -------------------------------------------------------


@pytest.mark.parametrize("variant_name", INSTALLED_VARIANTS)
@pytest.mark.parametrize("component", ("backend", "frontend"))
def test_matches_dockerfile_expose(variant_name, component, renderings, image_of):
    _, container = _container(renderings[variant_name], component)
    ports = [p["containerPort"] for p in container["ports"]]
    assert ports == list(image_of(component).exposed_ports), (
        f"{component} containerPort {ports} differs from its Dockerfile's EXPOSE {image_of(component).exposed_ports}"
    )


@pytest.mark.parametrize("variant_name", INSTALLED_VARIANTS)
@pytest.mark.parametrize("component", ("backend", "frontend"))
def test_matches_dockerfile_user(variant_name, component, renderings, image_of):
    deployment, container = _container(renderings[variant_name], component)
    image = image_of(component)
    assert image.uid is not None, (
        f"the {component} Dockerfile's final stage must set a numeric USER, has {image.user!r}"
    )
    context = {**deployment.pod_spec["securityContext"], **container["securityContext"]}
    assert context["runAsUser"] == image.uid, (
        f"{component} runAsUser {context['runAsUser']} but the image's USER is {image.user}"
    )
    if image.gid is not None:
        assert context.get("runAsGroup") == image.gid, (
            f"{component} runAsGroup {context.get('runAsGroup')} but the image's USER is {image.user}"
        )


def test_runs_migration_as_backend_image_user(renderings, image_of):
    job = renderings["default"].one("Job", component="migration")
    assert job.pod_spec["containers"][0]["securityContext"]["runAsUser"] == image_of("backend").uid


def test_listens_where_nginx_listens(renderings, nginx_config):
    _, container = _container(renderings["default"], "frontend")
    assert {p["containerPort"] for p in container["ports"]} == crosslayer.nginx_listen_ports(nginx_config)


# -- writable paths under a read-only root filesystem ----------------------------------------


@pytest.mark.parametrize("variant_name", INSTALLED_VARIANTS)
def test_mounts_emptydir_for_every_nginx_write(variant_name, renderings, nginx_config):
    deployment, container = _container(renderings[variant_name], "frontend")
    writable = _writable_dirs(deployment, container)
    for directive, path in crosslayer.nginx_write_paths(nginx_config).items():
        assert crosslayer.under(path, writable), f"nginx `{directive}` writes outside the emptyDirs {writable}"


@pytest.mark.parametrize("variant_name", INSTALLED_VARIANTS)
def test_mounts_emptydir_for_backend_tmp(variant_name, renderings):
    deployment, container = _container(renderings[variant_name], "backend")
    assert "/tmp" in _writable_dirs(deployment, container), "uvicorn and Python write temp files to /tmp"


# -- settings against what the backend reads --------------------------------------------------


@pytest.mark.parametrize("variant_name", ("default", "production", "external-database-url"))
def test_sets_only_settings_the_backend_reads(variant_name, renderings):
    """The backend ignores unknown variables, so a misspelt one would silently do nothing."""
    rendering = renderings[variant_name]
    known = crosslayer.settings_fields(paths.BACKEND / "app" / "core" / "config.py")
    config = rendering.one("ConfigMap", component="backend").body["data"]
    _, container = _container(rendering, "backend")
    names = set(config) | {env["name"] for env in container.get("env", [])}
    assert names - known == set(), f"the chart sets variables the backend does not read: {sorted(names - known)}"


def test_runs_existing_migration_module(renderings):
    command = renderings["default"].one("Job", component="migration").pod_spec["containers"][0]["command"]
    assert command[:2] == ["python", "-m"]
    assert (paths.BACKEND / (command[2].replace(".", "/") + ".py")).exists(), f"no module {command[2]} in backend/"


# -- chart metadata against the images' labels --------------------------------------------------


@pytest.mark.parametrize("component", ("backend", "frontend"))
def test_names_the_images_source_repository_as_chart_home(component):
    """Chart.yaml's home and sources are the repository the images' org.opencontainers.image.source
    label names, so a move of the repository cannot leave one of them behind."""
    dockerfile = _source(getattr(paths, component.upper()) / "Dockerfile", f"the {component} image's source label")
    source = re.search(r"^ARG SOURCE_URL=(\S+)$", dockerfile.read_text(), re.MULTILINE)
    assert source, f"the {component} Dockerfile no longer declares ARG SOURCE_URL: update this test"
    chart = yaml.safe_load((paths.CHART / "Chart.yaml").read_text())
    assert chart["home"] == source.group(1)
    assert chart["sources"] == [source.group(1)]
    assert [m.get("url") for m in chart["maintainers"]] == [source.group(1)]
