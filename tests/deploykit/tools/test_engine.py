"""The Docker engine is used when it answers; otherwise the one-line error says what to do."""

import pytest
from docker.errors import DockerException

from deploykit.foundation.errors import EngineUnavailable
from deploykit.tools import apt, engine


@pytest.fixture
def no_engine(monkeypatch):
    def unreachable(**_kwargs):
        raise DockerException("Error while fetching server API version")

    monkeypatch.setattr(engine.docker, "from_env", unreachable)
    monkeypatch.delenv("DOCKER_HOST", raising=False)


def test_ensure_engine_as_non_root_says_how_to_start_one(no_engine, monkeypatch):
    monkeypatch.setattr(apt, "can_install", lambda: False)
    expected = r"no Docker engine answers at unix:///var/run/docker\.sock; start dockerd"
    with pytest.raises(EngineUnavailable, match=expected):
        engine.ensure_engine()


def test_ensure_engine_with_unreachable_docker_host_names_it(no_engine, monkeypatch):
    monkeypatch.setenv("DOCKER_HOST", "tcp://127.0.0.1:1")
    with pytest.raises(EngineUnavailable, match=r"DOCKER_HOST=tcp://127\.0\.0\.1:1 does not answer"):
        engine.ensure_engine()


def test_ensure_engine_as_root_starts_dockerd_and_names_its_log_on_timeout(no_engine, monkeypatch):
    started = []
    monkeypatch.setattr(apt, "can_install", lambda: True)
    monkeypatch.setattr(engine, "start_dockerd", lambda: started.append(True) or "/var/log/x/dockerd.log")
    monkeypatch.setattr(engine.limits, "ENGINE_START_TIMEOUT", 0.3)
    with pytest.raises(EngineUnavailable, match=r"dockerd did not answer within 0\.3 s; see /var/log/x/dockerd\.log"):
        engine.ensure_engine()
    assert started == [True]
