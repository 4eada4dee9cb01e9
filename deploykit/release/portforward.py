"""A Service reachable from this host for the length of a block: `kubectl port-forward` on a free
127.0.0.1 port (never another interface), stopped when the block ends. Unlike `make up`'s
long-lived forward (deploykit.cli.up.open_port_forward), nothing is left behind and any number can run."""

import contextlib
import socket
import subprocess
from collections.abc import Callable

import requests

from deploykit.foundation import paths
from deploykit.foundation.errors import ClusterOperationFailed
from deploykit.foundation.waits import WaitTimeout, wait_until
from deploykit.tools.kubectl import Kubectl

READY_TIMEOUT_S = 30


def _free_loopback_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def forwarded(kubectl: Kubectl, namespace: str, service: str, service_port: int, health_path: str = "/healthz"):
    """Yield http://127.0.0.1:<port>/ once health_path answers through the forward to the Service."""
    return forwarded_to(kubectl, namespace, f"service/{service}", service_port, health_path)


@contextlib.contextmanager
def forwarded_to(kubectl: Kubectl, namespace: str, target: str, remote_port: int, health_path: str = "/healthz",
                 answers: Callable[[str], bool] | None = None):
    """As `forwarded`, to any target kubectl port-forward takes: `pod/<name>` reaches that one pod.
    answers(url) replaces the health check where plain HTTP is not what the target speaks (the
    edge's TLS listener); the URL's scheme is http either way: it names the forward, not a protocol."""
    answers = answers or (lambda url: requests.get(url + health_path.lstrip("/"), timeout=2).ok)
    port = _free_loopback_port()
    log = paths.log_dir() / f"port-forward-{namespace}-{target.replace('/', '-')}.log"
    argv = kubectl.argv("-n", namespace, "port-forward", "--address", "127.0.0.1", target, f"{port}:{remote_port}")
    with open(log, "wb") as out:
        process = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/"
    try:
        try:
            wait_until(lambda: answers(url),
                       what=f"port-forward to {target} answering on {url}", timeout=READY_TIMEOUT_S)
        except WaitTimeout as exc:
            raise ClusterOperationFailed(f"{exc}; see {log}") from None
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
