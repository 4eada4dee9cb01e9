"""Project images: named after the chart's appVersion, given their bases as build args, rebuilt
only when an input changed, and a failed build says which step failed and what it printed."""

import os
import tarfile
from types import SimpleNamespace

import docker
import pytest

from deploykit.foundation.errors import ImageBuildError
from deploykit.images import build as images
from deploykit.images import buildca

CHOSEN_BASES = {
    "python-build": "localhost/todo-base/debian:13-slim",
    "python": "localhost/todo-base/python:3.13-distroless",
    "node": "localhost/todo-base/node:20",
    "nginx": "localhost/todo-base/nginx-unprivileged:1.26",
}


def test_the_version_is_the_charts_app_version(tmp_path):
    (tmp_path / "Chart.yaml").write_text("apiVersion: v2\nname: x\nversion: 1.2.3\nappVersion: \"2.0.1\"\n")
    assert images.chart_version(tmp_path) == "2.0.1"


def test_without_a_chart_the_version_is_the_default(tmp_path):
    assert images.chart_version(tmp_path) == images.DEFAULT_VERSION == "0.1.0"


def test_image_names():
    assert images.image_name("backend", "0.1.0") == "todo-list-hackathon/backend:0.1.0"


def test_the_backend_gets_the_python_bases_and_the_version():
    args = images.build_args(images.COMPONENTS["backend"], CHOSEN_BASES, "0.1.0")
    assert args == {
        "PYTHON_BUILD_IMAGE": "localhost/todo-base/debian:13-slim",
        "PYTHON_IMAGE": "localhost/todo-base/python:3.13-distroless",
        "VERSION": "0.1.0",
    }


def test_each_component_names_the_base_its_final_stage_runs_on():
    assert {name: c.runtime for name, c in images.COMPONENTS.items()} == {"backend": "python", "frontend": "nginx"}
    assert all(c.runtime in c.base_args.values() for c in images.COMPONENTS.values())


def test_the_frontend_gets_the_node_and_nginx_bases_the_hosts_npm_registry_and_the_version(monkeypatch):
    monkeypatch.setitem(images.HOST_REGISTRIES, "NPM_CONFIG_REGISTRY", lambda: "https://npm.mirror.example/")
    args = images.build_args(images.COMPONENTS["frontend"], CHOSEN_BASES, "0.1.0")
    assert args == {
        "NODE_IMAGE": "localhost/todo-base/node:20",
        "NGINX_IMAGE": "localhost/todo-base/nginx-unprivileged:1.26",
        "NPM_CONFIG_REGISTRY": "https://npm.mirror.example/",
        "VERSION": "0.1.0",
    }


def test_without_a_configured_npm_the_build_keeps_npms_own_default(monkeypatch):
    monkeypatch.setitem(images.HOST_REGISTRIES, "NPM_CONFIG_REGISTRY", lambda: None)
    assert "NPM_CONFIG_REGISTRY" not in images.build_args(images.COMPONENTS["frontend"], CHOSEN_BASES, "0.1.0")


@pytest.fixture
def component(tmp_path):
    (tmp_path / "Dockerfile").write_text("FROM scratch\n")
    (tmp_path / "app.py").write_text("print('v1')\n")
    return tmp_path


def _digest(component, args=None, base_ids=None, ca=b""):
    context = buildca.build_context(component, ca)
    return images.inputs_digest(context, args or {"VERSION": "1"}, base_ids or {"python": "sha256:1"})


def test_the_inputs_digest_ignores_modification_times(component):
    before = _digest(component)
    os.utime(component / "app.py", (0, 0))
    assert _digest(component) == before


@pytest.mark.parametrize("change", ["file", "build arg", "base image", "extra CA"])
def test_the_inputs_digest_follows_every_input(component, change):
    before = _digest(component)
    if change == "file":
        (component / "app.py").write_text("print('v2')\n")
    after = _digest(
        component,
        args={"VERSION": "2"} if change == "build arg" else None,
        base_ids={"python": "sha256:2"} if change == "base image" else None,
        ca=b"-----BEGIN CERTIFICATE-----\nQQ==\n-----END CERTIFICATE-----\n" if change == "extra CA" else b"",
    )
    assert after != before


def test_the_context_is_rewound_for_the_build(component):
    context = buildca.build_context(component, b"")
    images.inputs_digest(context, {}, {})
    assert len(tarfile.open(fileobj=context).getnames()) > 0


class FakeEngine:
    def __init__(self, build_output=(), local=None):
        self.build_output, self.builds = list(build_output), []
        self.local = dict(local or {})  # image name -> labels
        self.images = SimpleNamespace(get=self._get)
        self.api = SimpleNamespace(build=self._build)

    def _get(self, name):
        if name in self.local:
            return SimpleNamespace(id=f"sha256:{name}", labels=self.local[name])
        if name.startswith("todo-list-hackathon/"):
            raise docker.errors.ImageNotFound(name)
        return SimpleNamespace(id=f"sha256:{name}", labels={})  # a base image

    def _build(self, **options):
        self.builds.append(options)
        return iter(self.build_output)


def test_a_failed_build_names_the_step_the_error_and_the_last_output(deploykit_log):
    engine = FakeEngine(build_output=[
        {"stream": "Step 1/3 : FROM localhost/todo-base/python:3.13-distroless\n"},
        {"stream": "Step 2/3 : RUN pip install -r requirements.txt\n"},
        {"stream": "ERROR: Could not find a version that satisfies the requirement fastapi==999\n"},
        {"error": "The command '/bin/sh -c pip install' returned a non-zero code: 1"},
    ])
    with pytest.raises(ImageBuildError) as failure:
        images.stream_build(engine, "backend", context=None)
    message = str(failure.value)
    assert message.startswith("backend image: Step 2/3 : RUN pip install -r requirements.txt failed: ")
    assert "returned a non-zero code: 1" in message and "fastapi==999" in message
    assert "backend | Step 2/3" in deploykit_log.text, "progress is logged as it happens"


def _backend_digest(component):
    return images.inputs_digest(
        buildca.build_context(component, b""), {"PYTHON_IMAGE": "py:1", "VERSION": "1.0"}, {"python": "sha256:py:1"},
    )


def test_a_build_with_unchanged_inputs_is_skipped(component, monkeypatch):
    monkeypatch.setattr(buildca, "extra_ca", lambda: b"")
    target = images.Component("backend", component, {"PYTHON_IMAGE": "python"}, runtime="python")
    engine = FakeEngine(local={"todo-list-hackathon/backend:1.0": {images.INPUTS_LABEL: _backend_digest(component)}})
    assert images.build_image(engine, target, {"python": "py:1"}, "1.0") == "todo-list-hackathon/backend:1.0"
    assert engine.builds == []


def test_an_image_that_merely_inherited_the_inputs_label_is_not_reused(component, monkeypatch):
    """An image built FROM the backend carries its label, but is not the backend."""
    monkeypatch.setattr(buildca, "extra_ca", lambda: b"")
    target = images.Component("backend", component, {"PYTHON_IMAGE": "python"}, runtime="python")
    engine = FakeEngine(local={"todo-list-hackathon/bad-backend:1": {images.INPUTS_LABEL: _backend_digest(component)}})
    images.build_image(engine, target, {"python": "py:1"}, "1.0")
    assert len(engine.builds) == 1


def test_a_build_with_new_inputs_runs_with_the_build_args_and_the_inputs_label(component, monkeypatch):
    monkeypatch.setattr(buildca, "extra_ca", lambda: b"")
    target = images.Component("backend", component, {"PYTHON_IMAGE": "python"}, runtime="python")
    engine = FakeEngine(build_output=[{"stream": "Successfully built abc\n"}])
    images.build_image(engine, target, {"python": "py:1"}, "1.0")
    (build,) = engine.builds
    assert build["custom_context"] is True and build["tag"] == "todo-list-hackathon/backend:1.0"
    assert build["buildargs"] == {"PYTHON_IMAGE": "py:1", "VERSION": "1.0"}
    assert set(build["labels"]) == {images.INPUTS_LABEL}
    assert "cache_from" not in build


def test_a_rebuild_uses_the_previous_image_of_that_name_as_its_layer_cache(component, monkeypatch):
    """A project image restored by `docker load` (CI's cache) has no build cache; cache_from lends its layers."""
    monkeypatch.setattr(buildca, "extra_ca", lambda: b"")
    target = images.Component("backend", component, {"PYTHON_IMAGE": "python"}, runtime="python")
    engine = FakeEngine(local={"todo-list-hackathon/backend:1.0": {images.INPUTS_LABEL: "an older digest"}})
    images.build_image(engine, target, {"python": "py:1"}, "1.0")
    (build,) = engine.builds
    assert build["cache_from"] == ["todo-list-hackathon/backend:1.0"]


@pytest.mark.parametrize(("reference", "values"), [
    ("localhost/todo-base/postgres:17", {"registry": "localhost", "repository": "todo-base/postgres", "tag": "17"}),
    ("postgres:16-alpine", {"registry": "", "repository": "postgres", "tag": "16-alpine"}),
    ("nginxinc/nginx-unprivileged:1.29-alpine-slim",
     {"registry": "", "repository": "nginxinc/nginx-unprivileged", "tag": "1.29-alpine-slim"}),
    ("registry.local:5000/mirror/busybox:1.36", {"registry": "registry.local:5000", "repository": "mirror/busybox",
                                                 "tag": "1.36"}),
])
def test_chart_image_values_split_registry_repository_and_tag(reference, values):
    assert images.image_values(reference) == values


def test_chart_overrides_name_the_database_and_test_hook_images(monkeypatch):
    chosen = {"postgres": "localhost/todo-base/postgres:17", "busybox": "localhost/todo-base/busybox:1.37"}
    monkeypatch.setattr(images.bases, "ensure_base", lambda client, base: chosen[base.role])
    overrides = images.chart_image_overrides(client=object())
    assert overrides == {
        "postgresql": {"image": {"registry": "localhost", "repository": "todo-base/postgres", "tag": "17"}},
        "tests": {"image": {"registry": "localhost", "repository": "todo-base/busybox", "tag": "1.37"}},
    }
