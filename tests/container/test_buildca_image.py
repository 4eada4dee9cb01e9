"""The build CA reaches build stages and nothing else.

A two-stage probe image is built on the Python bases this engine uses (the air-gapped ones here):
its build stage downloads a wheel from PyPI through the extra CA in the build context, and its
final image must hold no trace of that CA: no build-ca file, no certificate of it in any file,
in `docker history --no-trunc` or in the image config.
"""

import uuid
from pathlib import Path

import pytest

from deploykit.bases import catalog as bases
from deploykit.images import build as images
from deploykit.images import buildca

pytestmark = pytest.mark.container

PROBE_CONTEXT = Path(__file__).parent / "fixtures" / "buildca-probe"


@pytest.fixture(scope="module")
def python_bases(docker_client):
    return {role: bases.ensure_base(docker_client, bases.BASES[role]) for role in ("python-build", "python")}


@pytest.fixture(scope="module")
def extra_ca():
    ca = buildca.extra_ca()
    if not ca:
        pytest.skip("no extra CA on this machine (no host bundle, DEPLOYKIT_BUILD_CA empty): nothing to leak")
    return ca


@pytest.fixture(scope="module")
def probe_image(docker_client, python_bases, extra_ca):
    """Built without the layer cache, so pip really goes to PyPI on every run."""
    tag = f"todo-list-hackathon/buildca-probe:{uuid.uuid4().hex[:8]}"
    images.stream_build(
        docker_client, "buildca-probe", buildca.build_context(PROBE_CONTEXT, extra_ca), tag=tag,
        buildargs={"PYTHON_BUILD_IMAGE": python_bases["python-build"], "PYTHON_IMAGE": python_bases["python"]},
        nocache=True, rm=True, forcerm=True, pull=False,
    )
    yield tag
    docker_client.images.remove(tag, force=True)


def test_the_build_stage_downloads_from_pypi_through_the_extra_ca(docker_client, probe_image):
    output = docker_client.containers.run(probe_image, remove=True).decode()
    assert "six-1.17.0-py2.py3-none-any.whl" in output


def test_the_final_image_builds_on_the_chosen_python_base(docker_client, python_bases, probe_image):
    base_layers = docker_client.images.get(python_bases["python"]).attrs["RootFS"]["Layers"]
    probe_layers = docker_client.images.get(probe_image).attrs["RootFS"]["Layers"]
    assert probe_layers[: len(base_layers)] == base_layers


def test_the_final_image_holds_no_trace_of_the_build_ca(docker_client, probe_image, extra_ca):
    assert buildca.traces_in_image(docker_client, probe_image, extra_ca) == []


def test_the_trace_finder_does_find_the_ca_in_the_build_stage(docker_client, python_bases, extra_ca):
    """A test of the test: the same probe stopped at its build stage, which does hold the CA."""
    tag = f"todo-list-hackathon/buildca-probe-build:{uuid.uuid4().hex[:8]}"
    images.stream_build(
        docker_client, "buildca-probe", buildca.build_context(PROBE_CONTEXT, extra_ca), tag=tag,
        buildargs={"PYTHON_BUILD_IMAGE": python_bases["python-build"], "PYTHON_IMAGE": python_bases["python"]},
        target="build", rm=True, forcerm=True, pull=False,
    )
    try:
        findings = buildca.traces_in_image(docker_client, tag, extra_ca)
    finally:
        docker_client.images.remove(tag, force=True)
    assert any("tmp/build-ca/extra-ca.pem" in finding for finding in findings)
    assert any(finding.startswith("history step") for finding in findings)
