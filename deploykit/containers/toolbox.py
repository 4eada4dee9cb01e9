"""A read-only toolbox that lets testinfra inspect the project's minimal images.

testinfra's docker backend runs `docker exec <container> /bin/sh -c <command>`, and its modules
shell out to coreutils-style tools: `uname -s` before any file check (to pick the GNU flavour),
`cat` for file contents, `stat -Lc` for owner and mode, `ls` for listings, `id`/`getent` for
users. The project's images ship no such tools on purpose (the backend's distroless base has not
even a shell), so the suite lends them a static busybox: a Docker volume mounted read-only at
TOOLBOX_DIR and appended to the end of PATH, where it can only fill gaps and never shadow a
command the image has, and `host()` runs testinfra's commands with the toolbox's own shell, so no
check depends on whether, or where, the image has one. The container keeps every hardening
option; nothing in the image changes.
"""

from dataclasses import dataclass
from typing import Any

import docker
import testinfra.host
from testinfra.backend.base import CommandResult
from testinfra.backend.docker import DockerBackend

from deploykit.bases import catalog as bases
from deploykit.containers.running import STARTED_BY_LABEL
from deploykit.foundation.errors import ContainerFailed

TOOLBOX_DIR = "/opt/testinfra-toolbox"
TOOLBOX_SHELL = f"{TOOLBOX_DIR}/sh"  # busybox ash
DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"  # Docker's, for an image without one
# The binary's path differs between the official image (/bin) and Debian's package (/usr/bin), and
# busybox's shell answers `command -v busybox` with the applet name, so the candidates are tried.
_FILL_SCRIPT = (
    'set -e; for candidate in /bin/busybox /usr/bin/busybox; do '
    '[ -x "$candidate" ] && cp "$candidate" /toolbox/busybox && break; done; '
    'for applet in $(/toolbox/busybox --list); do '
    '[ "$applet" = busybox ] || /toolbox/busybox ln -sf busybox "/toolbox/$applet"; done'
)


def ensure_volume(client: docker.DockerClient) -> str:
    """The toolbox volume for the current busybox base, filled on first use; returns its name."""
    image = client.images.get(bases.ensure_base(client, bases.BASES["busybox"]))
    name = f"tlh-testinfra-toolbox-{image.id.split(':')[-1][:12]}"
    try:
        client.volumes.get(name)
        return name
    except docker.errors.NotFound:
        pass
    client.volumes.create(name, labels={STARTED_BY_LABEL: "deploykit"})
    try:
        client.containers.run(image.id, ["sh", "-c", _FILL_SCRIPT], user="0",
                              volumes={name: {"bind": "/toolbox", "mode": "rw"}}, remove=True)
    except docker.errors.ContainerError as error:
        client.volumes.get(name).remove(force=True)
        raise ContainerFailed(f"filling the testinfra toolbox from {image.tags} failed: {error.stderr!r}") from None
    return name


@dataclass(frozen=True)
class ToolboxMount:
    """What `containers.running()` needs to lend a container of one image the toolbox."""

    volumes: dict
    environment: dict


def mount(client: docker.DockerClient, image: str) -> ToolboxMount:
    image_env = client.images.get(image).attrs["Config"].get("Env") or []
    image_path = next((entry.partition("=")[2] for entry in image_env if entry.startswith("PATH=")), DEFAULT_PATH)
    return ToolboxMount(
        volumes={ensure_volume(client): {"bind": TOOLBOX_DIR, "mode": "ro"}},
        environment={"PATH": f"{image_path}:{TOOLBOX_DIR}"},
    )


class ToolboxDockerBackend(DockerBackend):
    """testinfra's docker backend, running each command with the toolbox's shell instead of the
    image's /bin/sh (which a distroless image does not have)."""

    NAME = "docker-toolbox"

    def run(self, command: str, *args: str, **kwargs: Any) -> CommandResult:
        cmd = self.get_command(command, *args)
        if self.user is not None:
            out = self.run_local("docker exec -u %s %s %s -c %s", self.user, self.name, TOOLBOX_SHELL, cmd)
        else:
            out = self.run_local("docker exec %s %s -c %s", self.name, TOOLBOX_SHELL, cmd)
        out.command = self.encode(cmd)
        return out


def host(container_id: str) -> testinfra.host.Host:
    """A testinfra host for a running container that was given the toolbox (see mount())."""
    return testinfra.host.Host(ToolboxDockerBackend(container_id))
