"""Where the repository, the chart and the cache live."""

import os
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
# DEPLOYKIT_CHART points the suite at another copy of the chart (an edited one, to see what the
# render layer makes of it) without copying the tests that specify it.
CHART = Path(os.environ.get("DEPLOYKIT_CHART") or REPO / "k8s" / "todo-list-hackathon").resolve()
BACKEND = REPO / "backend"
FRONTEND = REPO / "frontend"
ARTIFACTS = REPO / "build" / "artifacts"


def cache_dir(*parts: str) -> Path:
    """A directory under ~/.cache/todo-list-hackathon (XDG_CACHE_HOME honoured), created on demand."""
    root = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "todo-list-hackathon"
    path = root.joinpath(*parts)
    path.mkdir(parents=True, exist_ok=True)
    return path


def log_dir() -> Path:
    """Logs of the daemons deploykit starts (dockerd, containerd, the cluster's components)."""
    path = Path(os.environ.get("DEPLOYKIT_LOG_DIR", "/var/log/todo-list-hackathon"))
    if os.geteuid() != 0 and "DEPLOYKIT_LOG_DIR" not in os.environ:
        path = cache_dir("logs")
    path.mkdir(parents=True, exist_ok=True)
    return path
