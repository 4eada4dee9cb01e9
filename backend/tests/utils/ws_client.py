"""A minimal blocking WebSocket client (wsproto over a socket) for tests against a real server."""

import json
import socket
from typing import Any

from wsproto import ConnectionType, WSConnection
from wsproto.events import AcceptConnection, CloseConnection, Event, RejectConnection, Request, TextMessage


class WebSocketClosed(Exception):
    def __init__(self, code: int) -> None:
        super().__init__(f"closed with code {code}")
        self.code = code


class WebSocketClient:
    def __init__(self, port: int, target: str, timeout: float = 10) -> None:
        self._timeout = timeout
        self._socket = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        self._connection = WSConnection(ConnectionType.CLIENT)
        self._pending: list[Event] = []
        self._socket.sendall(self._connection.send(Request(host=f"127.0.0.1:{port}", target=target)))
        handshake = self._next_event()
        if isinstance(handshake, RejectConnection):
            raise AssertionError(f"handshake rejected with HTTP {handshake.status_code}")
        assert isinstance(handshake, AcceptConnection), handshake

    def _next_event(self) -> Event:
        while not self._pending:
            self._connection.receive_data(self._socket.recv(65536) or None)
            self._pending.extend(self._connection.events())
        return self._pending.pop(0)

    def receive_json(self, timeout: float | None = None) -> Any:
        """The next message; with a timeout, TimeoutError when none arrives within it."""
        if timeout is not None:
            self._socket.settimeout(timeout)
        try:
            event = self._next_event()
        finally:
            if timeout is not None:
                self._socket.settimeout(self._timeout)
        if isinstance(event, CloseConnection):
            raise WebSocketClosed(event.code)
        assert isinstance(event, TextMessage), event
        return json.loads(event.data)

    def close(self) -> None:
        self._socket.close()
