"""Session fixtures shared by the layers: each obtains a prerequisite through deploykit,
and reports a missing one through prerequisites.require (skip locally, fail in CI)."""

import pytest

from deploykit import engine, toolchain
from deploykit.prerequisites import require

__all__ = ["helm_binary", "docker_client"]


@pytest.fixture(scope="session")
def helm_binary() -> str:
    return require(toolchain.helm, "helm")


@pytest.fixture(scope="session")
def docker_client():
    return require(engine.ensure_engine, "the Docker engine")
