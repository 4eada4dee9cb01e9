"""deploykit.chart.timing: each server's drain read from its code or config, and the shutdown
chain checks on a pod, each failing on a broken copy."""

import shutil

import pytest

from deploykit.chart import crosslayer, manifests, timing
from deploykit.foundation import paths


def _pod(grace=30, pre_stop=5, env=None, config=None) -> tuple[manifests.Rendering, manifests.Manifest, dict]:
    container = {
        "name": "app",
        "lifecycle": {"preStop": {"sleep": {"seconds": pre_stop}}},
        "envFrom": [{"configMapRef": {"name": "app"}}],
        "env": env or [],
    }
    deployment = manifests.Manifest(
        {
            "kind": "Deployment",
            "metadata": {"name": "app"},
            "spec": {"template": {"spec": {"terminationGracePeriodSeconds": grace, "containers": [container]}}},
        }
    )
    config_map = manifests.Manifest({"kind": "ConfigMap", "metadata": {"name": "app"}, "data": config or {}})
    return manifests.Rendering((config_map, deployment)), deployment, container


@pytest.fixture
def nginx_copy(tmp_path):
    shutil.copy(crosslayer.NGINX_CONFIG, tmp_path / "nginx.conf.template")
    shutil.copy(crosslayer.FRONTEND_ENTRYPOINT, tmp_path / "docker-entrypoint.sh")
    return tmp_path / "nginx.conf.template", tmp_path / "docker-entrypoint.sh"


def _replace(path, old, new):
    text = path.read_text()
    assert old in text, f"{path.name} no longer has {old!r}: update this test"
    path.write_text(text.replace(old, new))


@pytest.mark.parametrize("duration, seconds", [("15s", 15), ("1m", 60), ("500ms", 0.5), ("30", 30)])
def test_reads_nginx_durations(duration, seconds):
    assert timing.nginx_seconds(duration) == seconds


def test_reads_the_backend_drain_from_the_settings_uvicorn_is_given():
    drain = timing.backend_drain(paths.BACKEND / "app")
    assert (drain.variable, drain.default_seconds) == ("SHUTDOWN_GRACE_SECONDS", 15)
    assert drain.where.startswith("backend/app/core/config.py:")


def test_reads_the_nginx_drain_the_entrypoint_fills_in():
    drain = timing.nginx_drain(crosslayer.NGINX_CONFIG, crosslayer.FRONTEND_ENTRYPOINT)
    assert (drain.variable, drain.default_seconds) == ("SHUTDOWN_GRACE_SECONDS", 15)
    assert drain.where == "frontend/nginx/nginx.conf.template"


def test_reads_a_drain_fixed_in_the_server_call(tmp_path):
    shutil.copytree(paths.BACKEND / "app", tmp_path / "backend" / "app", ignore=shutil.ignore_patterns("__pycache__"))
    serve = tmp_path / "backend" / "app" / "core" / "serve.py"
    _replace(serve, "timeout_graceful_shutdown=settings.SHUTDOWN_GRACE_SECONDS", "timeout_graceful_shutdown=40")
    drain = timing.backend_drain(tmp_path / "backend" / "app")
    assert (drain.variable, drain.default_seconds) == (None, 40)
    rendering, deployment, container = _pod(config={"SHUTDOWN_GRACE_SECONDS": "15"})
    (finding,) = timing.drain_set_findings(rendering, deployment, container, drain)
    assert finding.where == "spec.template.spec.containers[app].env"
    assert "fixed in backend/app/core/serve.py:" in finding.problem
    (finding,) = timing.shutdown_chain_findings(rendering, deployment, container, drain)
    assert "30 s does not cover preStop 5 s + the server's drain 40 s" in finding.problem


def test_reports_an_nginx_drain_longer_than_the_grace_period_allows(nginx_copy):
    config, entrypoint = nginx_copy
    _replace(config, "worker_shutdown_timeout __SHUTDOWN_GRACE_SECONDS__s;", "worker_shutdown_timeout 1m;")
    rendering, deployment, container = _pod()
    (finding,) = timing.shutdown_chain_findings(
        rendering, deployment, container, timing.nginx_drain(config, entrypoint)
    )
    assert (finding.subject, finding.where) == ("Deployment/app", "spec.template.spec.terminationGracePeriodSeconds")
    assert "preStop 5 s + the server's drain 60 s" in finding.problem


def test_reports_an_unbounded_nginx_drain(nginx_copy):
    config, entrypoint = nginx_copy
    _replace(config, "worker_shutdown_timeout", "# worker_shutdown_timeout")
    rendering, deployment, container = _pod()
    (finding,) = timing.shutdown_chain_findings(
        rendering, deployment, container, timing.nginx_drain(config, entrypoint)
    )
    assert "has no bound" in finding.problem


def test_takes_the_drain_the_pod_sets_over_the_default():
    drain = timing.ServerDrain(15, "SHUTDOWN_GRACE_SECONDS", "config.py:1")
    rendering, deployment, container = _pod(config={"SHUTDOWN_GRACE_SECONDS": "15"})
    assert timing.shutdown_chain_findings(rendering, deployment, container, drain) == []
    rendering, deployment, container = _pod(
        config={"SHUTDOWN_GRACE_SECONDS": "15"}, env=[{"name": "SHUTDOWN_GRACE_SECONDS", "value": "25"}]
    )
    (finding,) = timing.shutdown_chain_findings(rendering, deployment, container, drain)
    assert "preStop 5 s + the server's drain 25 s" in finding.problem


def test_reports_a_drain_variable_the_pod_leaves_unset():
    drain = timing.ServerDrain(15, "SHUTDOWN_GRACE_SECONDS", "config.py:1")
    rendering, deployment, container = _pod()
    (finding,) = timing.drain_set_findings(rendering, deployment, container, drain)
    assert finding.where == "spec.template.spec.containers[app].env.SHUTDOWN_GRACE_SECONDS"
    assert "default 15 s" in finding.problem
