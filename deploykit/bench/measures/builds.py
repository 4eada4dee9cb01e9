"""How long the project images take to build: cold (no build cache; the bases are kept, since
they are built once per machine), warm (nothing changed), and after a code-only change.

The code-only change is made in a copy of the build context, one comment line added to one
source file: the repository is never touched. Every bench build is tagged
todo-list-hackathon/<component>:bench-<run id> and removed afterwards, so the project's own
images and their build cache stay as they were. Build output goes to a log file, not the console.
"""

import contextlib
import io
import sys
import tarfile
import time
import uuid
from pathlib import Path

import docker

from deploykit.bases import catalog as bases
from deploykit.bench.figure import Figure
from deploykit.foundation.errors import ImageBuildError
from deploykit.foundation.limits import COLD_BUILD_S, WARM_REBUILD_S
from deploykit.images import build as images
from deploykit.images import buildca

GROUP = "Image builds"
# The file a code-only change touches in each context, and its comment syntax.
CHANGED_SOURCE = {"backend": ("app/main.py", "#"), "frontend": ("src/app/page.tsx", "//")}


def chosen_bases(client: docker.DockerClient) -> dict:
    """Base image name by role, for every base the project images build on."""
    roles = {role for component in images.COMPONENTS.values() for role in component.base_args.values()}
    return {role: bases.ensure_base(client, bases.BASES[role]) for role in sorted(roles)}


def with_comment_line(context, member: str, comment: str):
    """A copy of a context tar in which member ends with one more line, `comment`."""
    changed, found = io.BytesIO(), False
    with tarfile.open(fileobj=context) as source, tarfile.open(fileobj=changed, mode="w") as target:
        for info in source:
            content = source.extractfile(info) if info.isreg() else None
            data = content.read() if content is not None else None
            if info.name.removeprefix("./") == member:
                if data is None:
                    raise ImageBuildError(f"{member} in the build context is not a regular file")
                data, found = data.rstrip(b"\n") + f"\n{comment}\n".encode(), True
                info.size = len(data)
            target.addfile(info, None if data is None else io.BytesIO(data))
    if not found:
        raise ImageBuildError(f"the build context has no {member} to change")
    changed.seek(0)
    return changed


def timed_build(client: docker.DockerClient, component: str, context, log: Path, **options) -> float:
    """Seconds one `docker build` takes, its output appended to log."""
    with open(log, "a") as out, contextlib.redirect_stderr(out):
        print(f"=== {component}: build {options.get('tag')} (nocache={options.get('nocache', False)})",
              file=sys.stderr)
        started = time.perf_counter()
        images.stream_build(client, component, context, rm=True, forcerm=True, pull=False, **options)
        return time.perf_counter() - started


def figures(client: docker.DockerClient, chosen: dict, version: str, log: Path) -> list[Figure]:
    run_id = uuid.uuid4().hex[:8]
    found, cold_total = [], 0.0
    for name, component in images.COMPONENTS.items():
        args = images.build_args(component, chosen, version)
        tag = f"todo-list-hackathon/{name}:bench-{run_id}"
        changed_tag = f"{tag}-changed"
        member, comment_syntax = CHANGED_SOURCE[name]
        try:
            cold = timed_build(client, name, buildca.build_context(component.directory), log,
                               tag=tag, buildargs=args, nocache=True)
            warm = timed_build(client, name, buildca.build_context(component.directory), log, tag=tag, buildargs=args)
            changed_context = with_comment_line(buildca.build_context(component.directory), member,
                                                f"{comment_syntax} bench run {run_id}: a code-only change")
            changed = timed_build(client, name, changed_context, log, tag=changed_tag, buildargs=args)
        finally:
            for built in (changed_tag, tag):  # the changed image builds on the cold one's layers: it goes first
                with contextlib.suppress(docker.errors.ImageNotFound):
                    client.images.remove(built)
        cold_total += cold
        found += [
            Figure(f"build.{name}.cold", GROUP, f"{name}, cold (no cache)", cold, "s",
                   "`docker build --no-cache`: bases present, dependencies downloaded from the registries",
                   COLD_BUILD_S, digits=1),
            Figure(f"build.{name}.warm", GROUP, f"{name}, warm (nothing changed)", warm, "s",
                   "the same build again, every step from cache", digits=1),
            Figure(f"build.{name}.code_change", GROUP, f"{name}, after a code-only change", changed, "s",
                   f"the same build with a comment line added to {member}", WARM_REBUILD_S, digits=1),
        ]
    found.append(Figure("build.both.cold", GROUP, "both images, cold, one after the other", cold_total, "s",
                        "sum of the two cold builds", COLD_BUILD_S, digits=1))
    return found
