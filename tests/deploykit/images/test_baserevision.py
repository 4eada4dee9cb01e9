"""deploykit.images.baserevision: which revision an upgrade test starts from (a named one, else
the merge base with main, else HEAD), checked on a throwaway git repository."""

import subprocess

import pytest

from deploykit.foundation.errors import DeploykitError
from deploykit.images import baserevision


def git(repo, *args) -> str:
    return subprocess.run(["git", "-C", repo, *args], check=True, capture_output=True, text=True).stdout.strip()


@pytest.fixture
def repo(tmp_path, monkeypatch):
    """main with two commits (the first tagged v1), and a feature branch one commit ahead of main."""
    monkeypatch.delenv(baserevision.BASE_ENV, raising=False)
    git(tmp_path, "init", "-q", "-b", "main")
    for name in ("one", "two"):
        (tmp_path / name).write_text(name)
        git(tmp_path, "add", name)
        git(tmp_path, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", name)
        if name == "one":
            git(tmp_path, "tag", "v1")
    git(tmp_path, "checkout", "-q", "-b", "feature")
    (tmp_path / "three").write_text("three")
    git(tmp_path, "add", "three")
    git(tmp_path, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "three")
    return tmp_path


def test_the_base_is_the_merge_base_with_main(repo):
    commit, chosen_by = baserevision.choose(repo)

    assert commit == git(repo, "rev-parse", "main")
    assert chosen_by == "the merge base of HEAD with main"


def test_a_named_base_wins(repo, monkeypatch):
    monkeypatch.setenv(baserevision.BASE_ENV, "v1")

    assert baserevision.choose(repo) == (git(repo, "rev-parse", "v1"), "DEPLOYKIT_UPGRADE_BASE=v1")


def test_a_named_base_that_is_no_commit_says_what_to_set(repo, monkeypatch):
    monkeypatch.setenv(baserevision.BASE_ENV, "v9")

    with pytest.raises(DeploykitError, match="DEPLOYKIT_UPGRADE_BASE=v9 names no commit"):
        baserevision.choose(repo)


def test_on_main_itself_the_base_is_head_and_says_so(repo):
    git(repo, "checkout", "-q", "main")

    base = baserevision.resolve(repo)

    assert base.is_head and base.tree == repo
    assert "upgrades the release to itself" in base.describe()


def test_without_a_main_branch_the_base_is_head(repo):
    git(repo, "branch", "-q", "-D", "main")

    assert baserevision.choose(repo) == (git(repo, "rev-parse", "HEAD"),
                                         "HEAD: there is no main branch to take a merge base with")
