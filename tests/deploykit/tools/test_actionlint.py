"""actionlint: pinned, built into a cache directory keyed by its version, and run on every
workflow file (.yml and .yaml) of a folder, its verdict in the return code."""

import stat

from deploykit.tools import actionlint


def test_the_binary_is_cached_under_its_version(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    built = []

    def install(package, version, dest, why):
        built.append((package, version, dest))
        return dest / "actionlint"

    monkeypatch.setattr(actionlint.golang, "install", install)

    path = actionlint.binary()

    assert built == [(actionlint.PACKAGE, "v1.7.12", tmp_path / "todo-list-hackathon" / "actionlint" / "v1.7.12")]
    assert path == tmp_path / "todo-list-hackathon" / "actionlint" / "v1.7.12" / "actionlint"


def test_every_workflow_file_is_found(tmp_path):
    for name in ("pre-merge.yml", "release.yaml", "notes.md"):
        (tmp_path / name).write_text("")
    assert [p.name for p in actionlint.workflow_files(tmp_path)] == ["pre-merge.yml", "release.yaml"]


def test_check_passes_the_files_and_reports_findings_in_the_return_code(tmp_path):
    stand_in = tmp_path / "actionlint"
    stand_in.write_text('#!/bin/sh\necho "$@"\nexit 1\n')
    stand_in.chmod(stand_in.stat().st_mode | stat.S_IEXEC)

    result = actionlint.check([tmp_path / "a.yml"], command=stand_in)

    assert result.returncode == 1
    assert result.stdout.split() == ["-no-color", "-oneline", str(tmp_path / "a.yml")]
