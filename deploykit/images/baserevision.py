"""The revision an upgrade test starts from, and its images, built from its own sources.

Which revision: DEPLOYKIT_UPGRADE_BASE (a tag, branch or commit) when set, else the merge base of
HEAD with the main branch (origin/main, else main), else HEAD itself. Its tree is checked out as a
detached git worktree under build/upgrade-base/<commit>, and that tree's own deploykit builds its
images from its own Dockerfiles on the bases its own catalog chooses, tagged
<appVersion>-base-<commit>, so they never replace the working tree's images and a rebuild is
skipped while its inputs are unchanged. When the base is HEAD, the working tree's images are
tagged as the base instead: the upgrade still changes every pod's image reference.
"""

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import docker

from deploykit.foundation import paths
from deploykit.foundation.errors import DeploykitError, ImageBuildError
from deploykit.foundation.log import logger
from deploykit.foundation.run import run
from deploykit.images import build as images

BASE_ENV = "DEPLOYKIT_UPGRADE_BASE"
MAIN_BRANCHES = ("origin/main", "main")
WORKTREES = paths.REPO / "build" / "upgrade-base"
# A cold build of both images from a revision's own sources (bases shared with this engine).
BUILD_TIMEOUT_S = 1800


@dataclass(frozen=True)
class BaseRevision:
    commit: str
    chosen_by: str  # how it was chosen, for the test's report
    tree: Path
    is_head: bool

    @property
    def chart(self) -> Path:
        return self.tree / paths.CHART.relative_to(paths.REPO)

    @property
    def tag(self) -> str:
        return f"{images.chart_version(self.chart)}-base-{self.commit[:12]}"

    def describe(self) -> str:
        same = "; it is the working tree's own revision, so this upgrades the release to itself" if self.is_head else ""
        return f"base revision {self.commit[:12]} ({self.chosen_by}){same}"


def _git(repo: Path, *args: str) -> str:
    return run(["git", "-C", repo, *args], timeout=60).stdout.strip()


def choose(repo: Path = paths.REPO) -> tuple[str, str]:
    """(commit, how it was chosen)."""
    named = os.environ.get(BASE_ENV)
    if named:
        found = run(["git", "-C", repo, "rev-parse", "--verify", "--quiet", f"{named}^{{commit}}"], check=False)
        if not found.succeeded:
            raise DeploykitError(f"{BASE_ENV}={named} names no commit of this repository; "
                                 "set it to a tag, branch or commit (or unset it for the merge base with main)")
        return found.stdout.strip(), f"{BASE_ENV}={named}"
    for branch in MAIN_BRANCHES:
        found = run(["git", "-C", repo, "merge-base", "HEAD", branch], check=False, timeout=60)
        if found.succeeded:
            return found.stdout.strip(), f"the merge base of HEAD with {branch}"
    return _git(repo, "rev-parse", "HEAD"), "HEAD: there is no main branch to take a merge base with"


def checkout(commit: str, repo: Path = paths.REPO) -> Path:
    """The commit's tree as a detached worktree (kept, so a later run reuses it)."""
    tree = WORKTREES / commit
    if not (tree / ".git").exists():
        WORKTREES.mkdir(parents=True, exist_ok=True)
        run(["git", "-C", repo, "worktree", "add", "--force", "--detach", tree, commit], timeout=120)
    return tree


def resolve(repo: Path = paths.REPO) -> BaseRevision:
    commit, chosen_by = choose(repo)
    is_head = commit == _git(repo, "rev-parse", "HEAD")
    return BaseRevision(commit, chosen_by, repo if is_head else checkout(commit, repo), is_head)


def _build_in_tree(base: BaseRevision) -> None:
    """`python -m deploykit images --version <tag>` in the base tree: its own deploykit (the tree
    comes first on sys.path), each line of its progress logged here as it comes."""
    argv = [sys.executable, "-m", "deploykit", "images", "--version", base.tag]
    logger.info(f"building the images of {base.describe()} from its own sources in {base.tree} ...")
    with subprocess.Popen(argv, cwd=base.tree, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                          env={**os.environ, "PYTHONPATH": str(base.tree)}) as process:
        assert process.stdout is not None  # piped above
        tail: list[str] = []
        for line in process.stdout:
            logger.info(f"base | {line.rstrip()}")
            tail = [*tail[-14:], line.rstrip()]
        try:
            code = process.wait(timeout=BUILD_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            process.kill()
            raise ImageBuildError(f"the images of {base.describe()} took over {BUILD_TIMEOUT_S} s to build") from None
    if code != 0:
        raise ImageBuildError(f"the images of {base.describe()} did not build (exit {code}); its last lines:\n"
                              + "\n".join(tail))


def base_images(client: docker.DockerClient, base: BaseRevision, working: dict[str, str]) -> dict[str, str]:
    """The base revision's images by component: built from its tree, or (for HEAD) the working
    tree's images under the base tag."""
    if base.is_head:
        for image in working.values():
            client.images.get(image).tag(image.rpartition(":")[0], base.tag)
    else:
        _build_in_tree(base)
    return {component: images.image_name(component, base.tag) for component in working}
