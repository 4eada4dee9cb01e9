"""Fixtures of the container layer: how the chart runs each image, the images' metadata, running
hardened containers (shared per module), the backend + frontend pair on a user-defined network,
and small deliberately bad images built from tests/container/fixtures/bad/."""

import io
import tarfile
import uuid
from pathlib import Path

import docker
import pytest

from deploykit.bases import catalog as bases
from deploykit.chart import runspec
from deploykit.containers import running as containers
from deploykit.foundation.constants import COMPONENTS
from deploykit.images import build as images
from deploykit.images import hostca
from deploykit.images.checks import ImageMetadata
from deploykit.testing.asserts import failing_on_container_errors

BAD_IMAGES = Path(__file__).parent / "fixtures" / "bad"


@pytest.fixture(scope="module", params=COMPONENTS)
def component(request) -> str:
    """Runs a module's tests once per project image; module scope keeps one image's containers
    and scans shared by all of that module's tests."""
    return request.param


@pytest.fixture(scope="session")
def run_specs() -> dict:
    return {name: runspec.from_chart(name) for name in COMPONENTS}


@pytest.fixture(scope="session")
def chart_version() -> str:
    return images.chart_version()


@pytest.fixture(scope="session")
def extra_ca_markers() -> list:
    return hostca.extra_ca_markers()


@pytest.fixture(scope="session")
def image_metadata(docker_client, project_images) -> dict:
    return {name: ImageMetadata.of(docker_client, image) for name, image in project_images.items()}


@pytest.fixture(scope="session")
def app_pair(docker_client, project_images, run_specs):
    """Backend and frontend as the chart wires them; the backend's test-only slow endpoint is on
    so that a graceful stop can be shown with a request in flight."""
    with failing_on_container_errors(), containers.app_pair(
        docker_client, project_images, run_specs, backend_environment={"DEBUG_SLOW_ENDPOINT": "true"}
    ) as pair:
        yield pair


@pytest.fixture(scope="module")
def build_bad_image(docker_client):
    """build_bad_image(case, base_role, extra_files={}) -> tag: tests/container/fixtures/bad/<case>
    built FROM the given base (official or air-gapped, as deploykit.bases.catalog chooses), plus files the test
    writes into the build context (a leaked .env is generated, never committed). Removed at the end."""
    built = []

    def build(case: str, base_role: str, extra_files: dict | None = None) -> str:
        base = bases.ensure_base(docker_client, bases.BASES[base_role])
        context = docker.utils.tar(str(BAD_IMAGES / case))
        with tarfile.open(fileobj=context, mode="a") as tar:
            for name, data in (extra_files or {}).items():
                info = tarfile.TarInfo(name)
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))
        context.seek(0)
        tag = f"todo-list-hackathon/bad-{case}:{uuid.uuid4().hex[:8]}"
        images.stream_build(docker_client, f"bad-{case}", context, tag=tag, buildargs={"BASE": base},
                            rm=True, forcerm=True, pull=False)
        built.append(tag)
        return tag

    yield build
    for tag in built:
        docker_client.images.remove(tag, force=True)
