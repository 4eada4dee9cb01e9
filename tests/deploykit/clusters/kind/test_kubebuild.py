"""The node image's Kubernetes build: cached by component and Go version, and a missing Go says
what to install."""

import pytest

from deploykit.clusters.kind import kubebuild as build


def test_cache_key_changes_with_go_version(monkeypatch):
    monkeypatch.setattr(build, "go_version", lambda: "go1.26.8")
    first = build.cache_key("kube", build.KUBERNETES_VERSION, build.KUBE_SOURCE)
    monkeypatch.setattr(build, "go_version", lambda: "go1.27.0")
    assert build.cache_key("kube", build.KUBERNETES_VERSION, build.KUBE_SOURCE) != first


def test_go_missing_says_what_to_install(monkeypatch):
    monkeypatch.setattr(build.golang.shutil, "which", lambda name, path=None: None)
    with pytest.raises(Exception, match="needs Go"):
        build.go_version()

