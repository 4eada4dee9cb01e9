"""actionlint, the checker of GitHub Actions workflow files: built once with `go install` from
the Go module proxy into ~/.cache/todo-list-hackathon/actionlint/<version>/ (the version is pinned
here, as toolchain pins helm and kubectl), then run on every workflow file of the repository."""

from pathlib import Path

from deploykit.foundation import paths
from deploykit.foundation.run import CommandResult, run
from deploykit.tools import golang

PACKAGE = "github.com/rhysd/actionlint/cmd/actionlint"
VERSION = "v1.7.12"
WORKFLOWS = paths.REPO / ".github" / "workflows"


def binary() -> Path:
    """The pinned actionlint, built on first use (a missing Go raises ToolMissing saying what to install)."""
    return golang.install(PACKAGE, VERSION, paths.cache_dir("actionlint") / VERSION, "checking the workflow files")


def workflow_files(directory: Path = WORKFLOWS) -> list[Path]:
    return sorted([*directory.glob("*.yml"), *directory.glob("*.yaml")])


def check(files: list[Path], command: Path | None = None) -> CommandResult:
    """actionlint on files (no colour, one finding a line); the result's returncode is 0 when clean.
    shellcheck and pyflakes, when on PATH, check the run: scripts too."""
    return run([command or binary(), "-no-color", "-oneline", *files], check=False, timeout=300, cwd=paths.REPO)
