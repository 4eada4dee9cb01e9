"""apt.ensure_packages refreshes apt's lists whenever they cannot install what is asked, whatever
an earlier refresh in the same process did (on a fresh runner something cleared them between the
Docker engine's install and Chromium's, and Chromium was "unable to locate")."""

import pytest

from deploykit.foundation.errors import CommandFailed
from deploykit.foundation.run import CommandResult
from deploykit.tools import apt


class StandInApt:
    """dpkg-query says nothing is installed; apt-get knows packages only after an update."""

    def __init__(self, lists_current: bool):
        self.lists_current, self.calls = lists_current, []

    def __call__(self, argv, *, check=True, env=None, timeout=None, **_):
        self.calls.append(" ".join(argv[:3]))
        if argv[0] == "dpkg-query":
            return CommandResult(argv, 1, "", "no packages found")
        if argv[:2] == ["apt-get", "update"]:
            self.lists_current = True
            return CommandResult(argv, 0, "", "")
        code = 0 if self.lists_current else 100
        if check and code:
            raise CommandFailed(argv, code, "", "E: Unable to locate package chromium")
        return CommandResult(argv, code, "", "")


@pytest.fixture
def as_root(monkeypatch):
    monkeypatch.setattr(apt, "can_install", lambda: True)


@pytest.mark.parametrize("first_lists_current", [True, False])
def test_cleared_lists_are_refreshed_even_after_an_earlier_refresh(monkeypatch, as_root, first_lists_current):
    stand_in = StandInApt(lists_current=first_lists_current)
    monkeypatch.setattr(apt, "run", stand_in)
    apt.ensure_packages("docker.io", why="the engine")
    stand_in.lists_current = False  # cleared by something else
    stand_in.calls.clear()
    apt.ensure_packages("chromium", why="the browser test")
    assert stand_in.calls == ["dpkg-query -W -f=${Status}", "apt-get install -s", "apt-get update -q",
                              "apt-get install -y"]


def test_current_lists_install_without_a_refresh(monkeypatch, as_root):
    stand_in = StandInApt(lists_current=True)
    monkeypatch.setattr(apt, "run", stand_in)
    apt.ensure_packages("chromium", why="the browser test")
    assert "apt-get update -q" not in stand_in.calls
