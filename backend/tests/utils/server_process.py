"""The real service (`python -m app.core.serve`) as a child process on a free loopback port."""

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx

from app.core.config import Settings
from tests.utils.network import free_loopback_port

BACKEND_DIR = Path(__file__).resolve().parents[2]


class ServerProcess:
    def __init__(self, **settings: str) -> None:
        self.port = free_loopback_port()
        # Only the settings given here: the developer's own configuration must not leak in.
        environment = {key: value for key, value in os.environ.items() if key not in Settings.model_fields}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "app.core.serve", "--host", "127.0.0.1", "--port", str(self.port)],
            cwd=BACKEND_DIR,
            env={**environment, **settings},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def wait_until_live(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"server exited with {self.process.returncode}:\n{self.output()}")
            try:
                if httpx.get(self.url("/healthz"), timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.1)
        raise AssertionError(f"server not live after {timeout} s")

    def output(self) -> str:
        """Everything the server printed; only call once it has exited."""
        assert self.process.stdout is not None
        return self.process.stdout.read()

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
