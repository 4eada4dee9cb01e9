"""deploykit.release.connectprobe: the probe pod (its labels, its never-passing readiness, every
destination in one run), and its script run here against loopback, a listening port connecting and
a closed one not, read back as one Attempt per destination."""

import os
import socket
import subprocess
import sys

import pytest

from deploykit.release import connectprobe

PROBE = connectprobe.ProbePod("frontend", "todo", (("app.kubernetes.io/component", "frontend"),))
DESTINATIONS = {"backend": "10.96.0.7:8000", "dns": "nameserver:53"}


def test_a_probe_pod_wears_its_sources_labels_never_becomes_ready_and_tries_every_destination():
    config_map, pod = connectprobe.documents("probe-frontend-1", PROBE, "backend:1", "Never", DESTINATIONS)
    container = pod["spec"]["containers"][0]

    assert pod["metadata"]["labels"] == {"app.kubernetes.io/component": "frontend",
                                         connectprobe.PROBE_LABEL: "frontend"}
    assert container["readinessProbe"] == connectprobe.NEVER_READY
    assert {"name": "DESTINATIONS", "value": "backend=10.96.0.7:8000 dns=nameserver:53"} in container["env"]
    assert config_map["data"] == {"connectprobe_pod.py": connectprobe.SCRIPT.read_text()}
    assert pod["spec"]["restartPolicy"] == "Never"


def test_a_probe_that_reported_nothing_for_a_destination_is_refused():
    output = '{"destination":"backend","address":"10.96.0.7:8000","connected":true,"error":null,"attempts":1}\n'

    with pytest.raises(ValueError, match=r"reported nothing for \['dns'\]"):
        connectprobe.parse("frontend", output, DESTINATIONS)


@pytest.fixture
def listening_port():
    with socket.create_server(("127.0.0.1", 0)) as server:
        yield server.getsockname()[1]


@pytest.fixture
def closed_port() -> int:
    with socket.create_server(("127.0.0.1", 0)) as server:
        return server.getsockname()[1]  # closed once returned: nothing listens there any more


def test_the_probe_script_connects_where_something_listens_and_not_elsewhere(listening_port, closed_port):
    destinations = {"open": f"127.0.0.1:{listening_port}", "closed": f"127.0.0.1:{closed_port}"}
    env = {**os.environ, "DESTINATIONS": " ".join(f"{n}={a}" for n, a in destinations.items()), "TIMEOUT_S": "1",
           "ATTEMPTS": "2"}

    output = subprocess.run([sys.executable, str(connectprobe.SCRIPT)], env=env, capture_output=True, text=True,
                            check=True, timeout=30).stdout
    attempts = connectprobe.parse("here", output, destinations)

    assert attempts[("here", "open")] == connectprobe.Attempt("here", "open", destinations["open"], True, None, 1)
    refused = attempts[("here", "closed")]
    assert (refused.connected, refused.attempts) == (False, 2)
    assert refused.error.startswith("ConnectionRefusedError")
