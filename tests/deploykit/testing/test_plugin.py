"""deploykit.testing.plugin: under `-m <layer>`, only that layer's folder of tests/ is collected."""

from types import SimpleNamespace

import pytest

from deploykit.testing import plugin


def _config(root, markexpr: str):
    return SimpleNamespace(rootpath=root, getoption=lambda name: {"markexpr": markexpr}[name])


def test_skips_the_other_layers_folders_under_a_layer_marker(tmp_path):
    config = _config(tmp_path, "render")
    assert plugin.pytest_ignore_collect(tmp_path / "tests" / "deploykit", config) is True
    assert plugin.pytest_ignore_collect(tmp_path / "tests" / "cluster", config) is True
    assert plugin.pytest_ignore_collect(tmp_path / "tests" / "render", config) is None


@pytest.mark.parametrize("markexpr", ["", "render or deploykit", "not cluster"])
def test_collects_every_folder_under_any_other_selection(tmp_path, markexpr):
    assert plugin.pytest_ignore_collect(tmp_path / "tests" / "deploykit", _config(tmp_path, markexpr)) is None


def test_leaves_folders_outside_tests_to_pytest(tmp_path):
    """Only the repository's tests/<layer> folders are layers: a folder of that name elsewhere is kept."""
    config = _config(tmp_path, "render")
    assert plugin.pytest_ignore_collect(tmp_path / "backend" / "deploykit", config) is None
    assert plugin.pytest_ignore_collect(tmp_path / "tests" / "render" / "deploykit", config) is None
