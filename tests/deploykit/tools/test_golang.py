"""The go command: a missing Go says in one line what to install; `go install` runs once per
destination (the caller keys it by version) and leaves no partial directory behind."""

import stat

import pytest

from deploykit.foundation.errors import ToolMissing
from deploykit.tools import golang


def test_go_missing_names_what_needs_it_and_what_to_install(monkeypatch):
    monkeypatch.setattr(golang.shutil, "which", lambda name, path=None: None)
    with pytest.raises(ToolMissing, match=r"^checking the workflow files needs Go \(>= 1\.24\); install golang"):
        golang.go("checking the workflow files")


def stand_in_go(directory, calls):
    """A `go` that records its argv and, for `install`, writes the binary into $GOBIN."""
    script = directory / "go"
    script.write_text(f'#!/bin/sh\necho "$@" >> {calls}\necho built > "$GOBIN/tool"\n')
    script.chmod(script.stat().st_mode | stat.S_IEXEC)


def test_install_builds_once_into_the_versioned_directory(tmp_path, monkeypatch):
    calls = tmp_path / "calls"
    stand_in_go(tmp_path, calls)
    monkeypatch.setenv("PATH", str(tmp_path))
    dest = tmp_path / "cache" / "v1.2.3"

    first = golang.install("example.org/cmd/tool", "v1.2.3", dest, "a test")
    second = golang.install("example.org/cmd/tool", "v1.2.3", dest, "a test")

    assert first == second == dest / "tool"
    assert calls.read_text().splitlines() == ["install -trimpath example.org/cmd/tool@v1.2.3"]
    assert sorted(p.name for p in dest.parent.iterdir()) == ["v1.2.3"]
