"""The Docker engine: use a reachable one, else (root on Debian) install and start dockerd."""

import os
import subprocess

import docker
from docker.errors import DockerException
from tenacity import RetryError, retry, retry_if_result, stop_after_delay, wait_fixed

from deploykit.foundation import limits
from deploykit.foundation.errors import EngineUnavailable
from deploykit.foundation.log import logger
from deploykit.foundation.paths import log_dir
from deploykit.tools import apt

DEFAULT_SOCKET = "unix:///var/run/docker.sock"


def client_or_none(base_url: str | None = None):
    """A client for the engine at base_url (default: the environment's) if it answers, else None."""
    try:
        client = docker.DockerClient(base_url=base_url, timeout=120) if base_url else docker.from_env(timeout=120)
        client.ping()
        return client
    except DockerException:
        return None


def start_dockerd() -> str:
    """Start dockerd in the background (no systemd here); return the path of its log."""
    apt.ensure_packages("docker.io", "containerd", "runc", "iptables", why="the Docker engine")
    log = log_dir() / "dockerd.log"
    logger.info(f"starting dockerd (log: {log}) ...")
    with open(log, "ab") as out:
        subprocess.Popen(["dockerd"], stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    return str(log)


def ensure_engine() -> docker.DockerClient:
    """A client for a Docker engine that answers, starting one when this process may."""
    client = client_or_none()
    if client:
        return client
    host = os.environ.get("DOCKER_HOST")
    if host and host != DEFAULT_SOCKET:
        raise EngineUnavailable(f"DOCKER_HOST={host} does not answer; start that engine or unset DOCKER_HOST")
    if not apt.can_install():
        raise EngineUnavailable(
            f"no Docker engine answers at {DEFAULT_SOCKET}; start dockerd (or run as root on Debian "
            "so the suite starts it), or set DOCKER_HOST"
        )
    log = start_dockerd()
    waiter = retry(
        stop=stop_after_delay(limits.ENGINE_START_TIMEOUT), wait=wait_fixed(0.5),
        retry=retry_if_result(lambda c: c is None),
    )(client_or_none)
    try:
        return waiter()
    except RetryError:
        raise EngineUnavailable(
            f"dockerd did not answer within {limits.ENGINE_START_TIMEOUT} s; see {log}"
        ) from None
