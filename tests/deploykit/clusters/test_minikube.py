"""The minikube provider on a stand-in for the minikube command: it stops only a profile it
started, never one the user already had running."""

import pytest

from deploykit.clusters import minikube
from deploykit.foundation.run import CommandResult


class FakeMinikube:
    def __init__(self, running: bool):
        self.running, self.calls = running, []

    def __call__(self, argv, check=True, timeout=None):
        verb = argv[3]
        self.calls.append(verb)
        if verb == "start":
            self.running = True
        elif verb == "stop":
            self.running = False
        return CommandResult(argv, 0 if self.running or verb != "status" else 7, "", "")


@pytest.fixture
def provider(monkeypatch, tmp_path):
    def make(running: bool):
        fake = FakeMinikube(running)
        monkeypatch.setattr(minikube, "run", fake)
        monkeypatch.setattr(minikube.MinikubeCluster, "installed", staticmethod(lambda: True))
        return minikube.MinikubeCluster(state=tmp_path), fake

    return make


def test_a_profile_it_started_is_stopped_again(provider):
    cluster, fake = provider(running=False)
    cluster.start()
    cluster.stop()
    assert fake.calls == ["status", "start", "stop"]
    assert not fake.running


def test_a_profile_the_user_had_running_is_left_running(provider):
    cluster, fake = provider(running=True)
    cluster.start()
    cluster.stop()
    assert fake.calls == ["status"]
    assert fake.running


def test_a_later_session_stops_what_an_earlier_one_started(provider):
    first, fake = provider(running=False)
    first.start()
    later = minikube.MinikubeCluster(state=first.state)
    later.start()  # reuses it
    later.stop()
    assert fake.calls == ["status", "start", "status", "stop"]
