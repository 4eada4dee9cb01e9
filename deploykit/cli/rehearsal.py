"""Two rehearsals of the gate, so a green here says something about the users' runners.

fresh: `.ci/run` from a clean clone of HEAD with nothing of this machine's state visible to it —
an empty HOME (so empty helm/kubectl, Kubernetes, CoreDNS, Go, pip, uv and npm caches), a private
Docker engine with an empty data root (so kind's clusters and networks are its own). It prints
each layer's wall time and the total, and checks that the user's caches, images and containers
are exactly as they were.

loaded: the container and cluster layers once idle, then again with a bounded CPU hog on every
core (stress-ng, which stops by itself), each with the variables .ci/run sets; every test's
verdict under load must equal its idle one.
"""

import os
import re
import shutil
import subprocess
import tempfile
import time
import xml.etree.ElementTree as ElementTree
from collections import Counter
from contextlib import contextmanager
from pathlib import Path

import docker
from docker.errors import DockerException

from deploykit.cli import layerrun
from deploykit.foundation import paths
from deploykit.foundation.errors import DeploykitError
from deploykit.foundation.log import logger
from deploykit.foundation.run import run
from deploykit.tools import apt
from deploykit.tools.privateengine import PrivateEngine

# Where the user keeps client configuration (not caches): the empty HOME gets copies, as a new
# runner's image would have them.
CONFIG_FILES = (".npmrc", ".config/pip/pip.conf", ".pip/pip.conf", ".gitconfig")
# Variables that would point the run at this machine's state.
STATE_VARIABLES = ("XDG_CACHE_HOME", "GOPATH", "GOCACHE", "GOMODCACHE", "PIP_CACHE_DIR", "UV_CACHE_DIR",
                   "npm_config_cache", "KUBECONFIG", "DOCKER_HOST", "CLUSTER", "DEPLOYKIT_KIND_CONFIG",
                   "DEPLOYKIT_LOG_DIR", "DEPLOYKIT_LOG_LEVEL")
CI_LIMIT_S = 90 * 60


# ---- the user's state, before and after ------------------------------------------------------

def user_state() -> dict:
    """What a rehearsal must leave alone: the project's cache (every file, size and mtime), and
    the user's Docker images and containers (a kind cluster's nodes among them)."""
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "todo-list-hackathon"
    files = {str(p.relative_to(cache)): (p.stat().st_size, p.stat().st_mtime_ns)
             for p in cache.rglob("*") if p.is_file()} if cache.exists() else {}
    images: list[str] | None = None  # None: no engine of the user's answers, so nothing of it can change
    containers: list[str] | None = None
    try:
        client = docker.from_env(timeout=30)
        images = sorted(image.id for image in client.images.list(all=True))
        containers = sorted(f"{c.name} ({c.status})" for c in client.containers.list(all=True))
    except DockerException:
        pass
    return {"cache files": files, "images": images, "containers": containers}


def _some(items: list, shown: int = 5) -> str:
    """The first few of a long list, and how many more: an image id list can run to hundreds."""
    more = f" (+{len(items) - shown} more)" if len(items) > shown else ""
    return f"{items[:shown]}{more}"


def state_changes(before: dict, after: dict) -> list[str]:
    changes = []
    for key in before:
        if before[key] != after[key]:
            if key == "cache files":
                touched = sorted(set(before[key]) ^ set(after[key]) |
                                 {f for f in before[key] if after[key].get(f, before[key][f]) != before[key][f]})
                changes.append(f"{key}: {_some(touched)}")
            elif key in ("images", "containers"):
                old, new = set(before[key] or []), set(after[key] or [])
                changes.append(f"{key}: added {_some(sorted(new - old))}, "
                               f"removed {_some(sorted(old - new))}")
            else:
                changes.append(f"{key}: {before[key]} -> {after[key]}")
    return changes


# ---- fresh ----------------------------------------------------------------------------------

def fresh_environment(root: Path) -> dict:
    home = root / "home"
    for name in CONFIG_FILES:
        source = Path.home() / name
        if source.is_file():
            (home / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, home / name)
    home.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if k not in STATE_VARIABLES}
    return env | {"HOME": str(home), "CI": "true", "DEPLOYKIT_LOG_DIR": str(root / "logs")}


def fresh(keep: bool = False) -> bool:
    if os.geteuid() != 0:
        raise DeploykitError("the fresh-runner rehearsal runs as root, like CI (it starts a Docker engine and "
                             "a cluster)")
    if run(["git", "status", "--porcelain"], cwd=paths.REPO).stdout.strip():
        logger.warning("uncommitted changes are not rehearsed: the rehearsal clones HEAD")
    before = user_state()
    root = Path(tempfile.mkdtemp(prefix="todo-rehearsal-", dir="/var/tmp"))
    logger.info(f"fresh-runner rehearsal in {root} (log: {root / 'ci.log'})")
    repo = root / "repo"
    run(["git", "clone", "--quiet", "--no-hardlinks", str(paths.REPO), str(repo)], timeout=300)
    env = fresh_environment(root)
    engine = PrivateEngine(root / "docker")
    started = time.monotonic()
    try:
        engine.start()
        env["DOCKER_HOST"] = engine.url
        with open(root / "ci.log", "w") as log:
            code = subprocess.call(["bash", ".ci/run"], cwd=repo, env=env, stdout=log, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL, timeout=CI_LIMIT_S)
    finally:
        wall = time.monotonic() - started
        engine.stop()  # its containers go with it: kind's nodes, after a crash or a timeout too
    results = layerrun.read_report(repo) if (repo / "build" / "reports" / "layers.json").exists() else []
    print(f"fresh-runner rehearsal: .ci/run exited {code} after {wall:.0f} s\n{layerrun.table(results)}")
    changes = state_changes(before, user_state())
    print("user state: " + ("CHANGED: " + "; ".join(changes) if changes else "unchanged (caches, images, containers)"))
    if keep or code:
        print(f"kept {root} (ci.log, logs/, repo/build/)")
    else:
        _remove(root)
    return code == 0 and not changes


def _remove(root: Path) -> None:
    for line in reversed(Path("/proc/self/mounts").read_text().splitlines()):
        point = line.split()[1]
        if point.startswith(f"{root}/"):
            run(["umount", "-l", point], check=False)
    shutil.rmtree(root, ignore_errors=True)


# ---- loaded ---------------------------------------------------------------------------------

LOADED_LAYERS = ("container", "cluster")


@contextmanager
def cpu_hog(limit_s: int):
    """stress-ng with two CPU workers per core, ended by its own --timeout at the latest."""
    apt.ensure_packages("stress-ng", why="the loaded rehearsal")
    workers = 2 * (os.cpu_count() or 1)
    hog = subprocess.Popen(["stress-ng", "--cpu", str(workers), "--timeout", f"{limit_s}s", "--quiet"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        yield workers
    finally:
        hog.terminate()
        hog.wait(timeout=30)


def verdicts(junit: Path) -> dict[str, str]:
    """test id -> passed, failed, error or skipped, from a JUnit XML report."""
    found = {}
    for case in ElementTree.parse(junit).getroot().iter("testcase"):
        outcome = next((child.tag for child in case if child.tag in ("failure", "error", "skipped")), "passed")
        found[f"{case.get('classname')}::{case.get('name')}"] = {"failure": "failed"}.get(outcome, outcome)
    return found


def ci_exports(repo: Path) -> dict[str, str]:
    """The variables .ci/run exports (CI=true, CLUSTER=kind...), so the loaded layers run as CI
    runs them: on CI's cluster provider, with a missing prerequisite failing, not skipped."""
    return dict(re.findall(r"^export (\w+)=(\S+)$", (repo / ".ci" / "run").read_text(), flags=re.MULTILINE))


def run_layers_with_junit(repo: Path, label: str, out: Path) -> dict[str, str]:
    outcomes: dict[str, str] = {}
    env = os.environ | ci_exports(repo)
    for layer in LOADED_LAYERS:
        junit = out / f"{label}-{layer}.xml"
        started = time.monotonic()
        with open(out / f"{label}-{layer}.log", "w") as log:
            subprocess.call([str(repo / ".venv" / "bin" / "pytest"), "-m", layer, "-p", "no:cacheprovider",
                             f"--junitxml={junit}"], cwd=repo, env=env, stdout=log, stderr=subprocess.STDOUT,
                            stdin=subprocess.DEVNULL)
        outcomes |= verdicts(junit) if junit.exists() else {f"{layer} layer": "did not report"}
        logger.info(f"{label}: {layer} layer done in {time.monotonic() - started:.0f} s; "
                    f"so far {dict(Counter(outcomes.values()))}")
    return outcomes


def loaded(runs: int = 3) -> bool:
    """In a clone of HEAD (edits to the working tree during the runs cannot leak in), with this
    machine's caches: the point is the load, not the cold start."""
    out = paths.REPO / "build" / "rehearsal"
    out.mkdir(parents=True, exist_ok=True)
    root = Path(tempfile.mkdtemp(prefix="todo-loaded-", dir="/var/tmp"))
    repo = root / "repo"
    run(["git", "clone", "--quiet", "--no-hardlinks", str(paths.REPO), str(repo)], timeout=300)
    run(["make", "-s", ".venv/.installed"], cwd=repo, timeout=900)
    logger.info(f"loaded rehearsal of {run(['git', 'rev-parse', '--short', 'HEAD'], cwd=repo).stdout.strip()} "
                f"in {repo}; logs and JUnit in {out}")
    idle = run_layers_with_junit(repo, "idle", out)
    agreed = True
    for number in range(1, runs + 1):
        with cpu_hog(limit_s=CI_LIMIT_S) as workers:
            load = run_layers_with_junit(repo, f"loaded-{number}", out)
        differ = {test: (idle.get(test, "absent"), load.get(test, "absent"))
                  for test in sorted(set(idle) | set(load)) if idle.get(test) != load.get(test)}
        agreed &= not differ
        print(f"loaded run {number}/{runs} ({workers} stress-ng CPU workers): "
              + (f"same verdicts as idle for all {len(idle)} tests" if not differ else
                 f"{len(differ)} verdict(s) differ from idle:\n" +
                 "\n".join(f"  {test}: idle {a}, loaded {b}" for test, (a, b) in differ.items())), flush=True)
    print(f"idle verdicts: {dict(Counter(idle.values()))}; logs and JUnit in {out}")
    _remove(root)
    return agreed and bool(idle) and all(v in ("passed", "skipped") for v in idle.values())
