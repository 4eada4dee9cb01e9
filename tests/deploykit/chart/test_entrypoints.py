"""deploykit.chart.entrypoints: the port the backend binds and the variables the frontend's
entrypoint reads, read from their code, and the checks on them failing on a broken copy."""

import shutil

import pytest

from deploykit.chart import crosslayer, entrypoints
from deploykit.foundation import paths

BACKEND_IMAGE = crosslayer.ImageFacts((8000,), "10001:10001", (), ("python", "-m", "app.core.serve"))


@pytest.fixture
def backend_copy(tmp_path):
    shutil.copytree(paths.BACKEND / "app", tmp_path / "app", ignore=shutil.ignore_patterns("__pycache__"))
    return tmp_path


def test_follows_the_image_command_to_the_port_uvicorn_binds():
    assert entrypoints.bound_port(entrypoints.pod_command(BACKEND_IMAGE, {}), paths.BACKEND) == 8000


def test_reads_the_port_from_the_pod_arguments():
    command = entrypoints.pod_command(BACKEND_IMAGE, {"args": ["python", "-m", "app.core.serve", "--port", "9000"]})
    assert entrypoints.bound_port(command, paths.BACKEND) == 9000
    assert entrypoints.pod_command(BACKEND_IMAGE, {"command": ["sh"], "args": ["-c", "x"]}) == ["sh", "-c", "x"]


def test_reports_a_declared_port_the_server_no_longer_binds(backend_copy):
    serve = backend_copy / "app" / "core" / "serve.py"
    serve.write_text(serve.read_text().replace('"--port", type=int, default=8000', '"--port", type=int, default=8081'))
    command = entrypoints.pod_command(BACKEND_IMAGE, {})
    bound = {entrypoints.bound_port(command, backend_copy)}
    container = {"name": "backend", "ports": [{"name": "http", "containerPort": 8000}]}
    (finding,) = entrypoints.port_findings("Deployment/backend", container, bound, "`python -m app.core.serve`")
    assert (finding.subject, finding.where) == ("Deployment/backend", "containers[backend].ports")
    assert "binds [8081]" in finding.problem


def test_reads_the_variables_a_script_does_not_assign():
    script = 'set -eu\n# $IGNORED in a comment\nCONF=/tmp/x\nurl="${BACKEND_URL:-}"\necho "$CONF $url ${LEVEL%/}" $1\n'
    assert entrypoints.script_variables(script) == {"BACKEND_URL", "LEVEL"}


def test_reports_a_variable_the_entrypoint_no_longer_reads(tmp_path):
    script = tmp_path / "docker-entrypoint.sh"
    script.write_text(crosslayer.FRONTEND_ENTRYPOINT.read_text().replace("BACKEND_URL", "API_URL"))
    reader = entrypoints.VariableReader(entrypoints.script_variables(script.read_text()), True, "docker-entrypoint.sh")
    container = {"name": "frontend"}
    given = {"BACKEND_URL", "SHUTDOWN_GRACE_SECONDS"}
    findings = entrypoints.environment_findings("Deployment/frontend", container, given, reader)
    assert [(f.where, f.problem) for f in findings] == [
        ("containers[frontend].env.BACKEND_URL", "set, but docker-entrypoint.sh never reads it"),
        ("containers[frontend].env.API_URL", "docker-entrypoint.sh reads it, but the pod leaves it unset"),
    ]


def test_leaves_optional_settings_unset_without_a_finding():
    reader = entrypoints.VariableReader({"LOG_LEVEL", "DATABASE_URL"}, False, "Settings")
    (finding,) = entrypoints.environment_findings("Deployment/backend", {"name": "b"}, {"LOG_LEVL"}, reader)
    assert finding.where == "containers[b].env.LOG_LEVL"
