"""An app instance served by uvicorn on a free loopback port, in a thread of the test process.

Several of them on one database stand in for replicas: each has its own lifespan, connection
manager and sockets, while tests can still reach into `app.state` (and patch what they build).
"""

import threading
import time

import httpx
import uvicorn
from fastapi import FastAPI

from tests.utils.network import free_loopback_port
from tests.utils.ws_client import WebSocketClient


class AppServer:
    def __init__(self, app: FastAPI) -> None:
        self.app = app
        self.port = free_loopback_port()
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_config=None, access_log=False)
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, name=f"app-server-{self.port}", daemon=True)
        self.http = httpx.Client(base_url=f"http://127.0.0.1:{self.port}", timeout=10)

    def start(self, timeout: float = 20) -> None:
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started:
            assert self._thread.is_alive(), "app server exited during startup"
            assert time.monotonic() < deadline, f"app server not started after {timeout} s"
            time.sleep(0.01)

    def stop(self) -> None:
        self.http.close()
        self._server.should_exit = True
        self._thread.join(timeout=30)

    def live_feed(self, user_id: int, token: str) -> WebSocketClient:
        """A WebSocket on /api/ws, returned once this instance has registered it (so no event is missed)."""
        manager = self.app.state.connection_manager
        before = manager.connection_count(user_id)
        websocket = WebSocketClient(self.port, f"/api/ws?token={token}")
        deadline = time.monotonic() + 5
        while manager.connection_count(user_id) == before:
            assert time.monotonic() < deadline, "websocket was never registered"
            time.sleep(0.01)
        return websocket
