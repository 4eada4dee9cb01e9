"""Build one air-gapped base image from Debian packages: mmdebstrap a root filesystem, slim it
to what the image needs, `docker import` it with its image settings, prove it runs, then tag it.

Each step prints one line on stderr, because a cold build of all bases takes minutes.
"""

import io
import json
import shlex
import time
from pathlib import Path

import docker

from deploykit.bases import rootfs
from deploykit.foundation.errors import CommandFailed, ImageBuildError
from deploykit.foundation.limits import MB
from deploykit.foundation.log import logger
from deploykit.foundation.paths import cache_dir
from deploykit.foundation.run import run
from deploykit.tools import apt, mirrors

RECIPES = Path(__file__).resolve().parent / "recipes"
EQUIVALENT_LABEL = "org.todo-list-hackathon.base.equivalent-of"

# No documentation, manual pages or translations in any base (copyright files stay: licences).
SLIM_DPKG = (
    "path-exclude=/usr/share/doc/*",
    "path-include=/usr/share/doc/*/copyright",
    "path-exclude=/usr/share/man/*",
    "path-exclude=/usr/share/info/*",
    "path-exclude=/usr/share/locale/*",
    "path-include=/usr/share/locale/locale.alias",
    "path-exclude=/usr/share/lintian/*",
)


def mirror_lines(suite: str) -> list:
    """Debian sources for suite, with its updates and security fixes, from the host's mirrors."""
    debian = mirrors.debian()
    return [
        f"deb {debian.archive} {suite} main",
        f"deb {debian.archive} {suite}-updates main",
        f"deb {debian.security} {suite}-security main",
    ]


def mmdebstrap_argv(base, target: Path) -> list:
    hook = RECIPES / base.role / "hook.sh"
    hooks = []
    if hook.exists():
        # run under sh: recipe files need no executable bit; $1 is the root filesystem
        command = f'sh {shlex.quote(str(hook))} "$1"'
        # `extract` runs no maintainer scripts, hence no essential or customize step
        steps = ("extract",) if base.variant == "extract" else ("essential", "customize")
        hooks = [f"--{step}-hook={command}" for step in steps]
    return [
        "mmdebstrap", f"--variant={base.variant}", f"--include={','.join(base.include)}",
        '--aptopt=Acquire::Languages "none"', *(f"--dpkgopt={rule}" for rule in SLIM_DPKG),
        *hooks, *base.options, "--format=tar", base.suite, str(target), *mirror_lines(base.suite),
    ]


def image_config(image_id: str, base, labels: dict) -> str:
    """A Dockerfile giving the imported root filesystem its settings and identifying labels.

    `docker import --change` on engine 20.10 rejects STOPSIGNAL, so settings go through a
    build of this metadata-only Dockerfile, which adds no layer.
    """
    label_lines = [f"LABEL {key}={json.dumps(value)}" for key, value in sorted(labels.items())]
    return "\n".join([f"FROM {image_id}", *base.changes, *label_lines]) + "\n"


def _debootstrap(base, target: Path) -> None:
    # No timeout: killing mmdebstrap would leave its /proc and /sys mounts behind; apt's own
    # network timeouts bound a dead mirror.
    apt.ensure_packages("mmdebstrap", why=f"building {base.local}")
    try:
        run(mmdebstrap_argv(base, target))
    except CommandFailed as exc:
        last = "\n".join(exc.stderr.strip().splitlines()[-15:])
        raise ImageBuildError(f"{base.local}: mmdebstrap failed:\n{last}") from exc


def _import(client: docker.DockerClient, tarball: Path, base, labels: dict) -> str:
    try:
        answer = client.api.import_image(src=str(tarball))
        rootfs_id = json.loads(answer.strip().splitlines()[-1])["status"]
        dockerfile = io.BytesIO(image_config(rootfs_id, base, labels).encode())
        image, _ = client.images.build(fileobj=dockerfile, rm=True, forcerm=True)
    except (docker.errors.APIError, docker.errors.BuildError) as exc:
        raise ImageBuildError(f"{base.local}: importing the root filesystem failed: {exc}") from exc
    return image.id


def _smoke(client: docker.DockerClient, image_id: str, base) -> None:
    """Run the recipe's check; its output must show the version the local name promises."""
    container = client.containers.create(image_id, entrypoint=base.smoke[0], command=list(base.smoke[1:]))
    try:
        container.start()
        exit_code = container.wait(timeout=120)["StatusCode"]
        output = container.logs(stdout=True, stderr=True).decode(errors="replace")
    except docker.errors.APIError as exc:
        raise ImageBuildError(f"{base.local}: smoke check {base.smoke} could not run: {exc.explanation}") from exc
    finally:
        container.remove(force=True)
    if exit_code != 0 or base.expect not in output:
        raise ImageBuildError(
            f"{base.local}: smoke check {base.smoke} exited {exit_code}, expected {base.expect!r} "
            f"in its output (has the Debian package version moved?):\n{output.strip()[-2000:]}"
        )


def build(client: docker.DockerClient, base, labels: dict) -> None:
    """Build base.local from its recipe and tag it; the cached tarballs are removed afterwards."""
    started = time.monotonic()
    work = cache_dir("bases")
    full, slim = work / f"{base.role}.tar", work / f"{base.role}.slim.tar"
    try:
        logger.info(f"{base.local}: mmdebstrap {base.suite} {' '.join(base.include)} (about a minute)")
        _debootstrap(base, full)
        tarball = full
        if base.selection:
            kept = rootfs.slim(str(full), str(slim), base.selection)
            logger.info(f"{base.local}: slimmed to the files of {len(kept) or 'no'} Debian packages + recipe paths")
            tarball = slim
        logger.info(f"{base.local}: docker import")
        image_id = _import(client, tarball, base, labels)
    finally:
        full.unlink(missing_ok=True)
        slim.unlink(missing_ok=True)
    logger.info(f"{base.local}: smoke check {' '.join(base.smoke[:2])} ...")
    try:
        _smoke(client, image_id, base)
    except ImageBuildError:
        client.images.remove(image_id, force=True)
        raise
    repository, tag = base.local.rsplit(":", 1)
    client.api.tag(image_id, repository, tag, force=True)
    size = client.images.get(base.local).attrs["Size"]
    logger.info(f"{base.local}: built in {time.monotonic() - started:.0f} s, {size / MB:.1f} MB")
