"""Steady traffic through the edge, from this host: the cluster layer's load generator script
(deploykit.release.loadgen_pod), run here with this project's Python against a forward to the
gateway, presenting the route's hostname over TLS. Its results are the same TrafficReport as the
in-cluster generator's, so rollouts judge both alike."""

import contextlib
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from deploykit.edge.client import EdgeAddress
from deploykit.foundation.errors import ClusterOperationFailed
from deploykit.foundation.waits import WaitTimeout, wait_until
from deploykit.release import traffic

RATE = 25  # requests per second; a forward is one connection to the API server, not a load balancer
TARGET_PATHS = ("/", "/api/health")  # the page, and the API behind the frontend's proxy


class EdgeLoadGenerator:
    def __init__(self, address: EdgeAddress, rate: float = RATE):
        self.address, self.rate = address, rate
        self.report: traffic.TrafficReport | None = None
        self._work = Path(tempfile.mkdtemp(prefix="edge-traffic-"))
        self._stop, self._out = self._work / "stop", self._work / "results.jsonl"
        self._process: subprocess.Popen | None = None

    def _results(self) -> list[dict]:
        lines = self._out.read_text().splitlines() if self._out.exists() else []
        return [json.loads(line) for line in lines if line.startswith("{")]

    def start(self) -> None:
        targets = [self.address.base_url.rstrip("/") + path for path in TARGET_PATHS]
        env = {**os.environ, "TARGETS": " ".join(targets), "RATE": str(self.rate),
               "MAX_SECONDS": str(traffic.MAX_SECONDS), "TIMEOUT_S": str(traffic.REQUEST_TIMEOUT_S),
               "STOP_FILE": str(self._stop), "CA_FILE": self.address.ca_file, "SERVER_NAME": self.address.hostname,
               "KEEP_ALIVE": "1"}
        with open(self._out, "wb") as out:
            self._process = subprocess.Popen([sys.executable, str(traffic.SCRIPT)], env=env, stdout=out,
                                             stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        try:
            wait_until(lambda: any(200 <= r.get("status", 0) < 300 for r in self._results()),
                       what="traffic through the edge getting its first answers", timeout=traffic.START_TIMEOUT_S)
        except WaitTimeout as exc:
            raise ClusterOperationFailed(f"{exc}; its output: {self._out.read_text()[-500:]}") from None

    def stop(self) -> traffic.TrafficReport:
        assert self._process is not None
        if self._process.poll() is not None:
            raise ClusterOperationFailed(f"traffic through the edge ended (exit {self._process.returncode}) before "
                                         "it was stopped: it did not cover the whole change")
        self._stop.touch()
        try:
            self._process.wait(timeout=traffic.REQUEST_TIMEOUT_S + 30)
        except subprocess.TimeoutExpired:
            raise ClusterOperationFailed("traffic through the edge did not finish its last requests") from None
        if self._process.returncode != 0:
            raise ClusterOperationFailed(f"traffic through the edge exited {self._process.returncode}: "
                                         f"{self._out.read_text()[-500:]}")
        self.report = traffic.TrafficReport([r for r in self._results() if "status" in r], self.rate)
        return self.report

    def remove(self) -> None:
        if self._process and self._process.poll() is None:
            self._process.kill()
            self._process.wait()
        for path in (self._stop, self._out):
            path.unlink(missing_ok=True)
        self._work.rmdir()


@contextlib.contextmanager
def steady_traffic(address: EdgeAddress, rate: float = RATE):
    """As release.traffic.steady_traffic, from this host through the edge."""
    generator = EdgeLoadGenerator(address, rate)
    try:
        generator.start()
        yield generator
        generator.stop()
    finally:
        generator.remove()
