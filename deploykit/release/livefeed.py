"""Live updates on a release, seen as a browser sees them: an account, WebSocket clients on
/api/ws (each on the URL it is given, e.g. one backend pod's port-forward) and the task events they
hear, and task changes made over HTTP. Standard library only: a minimal RFC 6455 client that
reads the server's text frames, answers pings and masks what it sends, as clients must."""

import base64
import json
import os
import socket
import struct
import uuid
from urllib.parse import urlsplit

import requests

from deploykit.foundation.errors import ClusterOperationFailed

HTTP_TIMEOUT_S = 10
PASSWORD = "live-feed check password"
OPCODE_TEXT, OPCODE_CLOSE, OPCODE_PING, OPCODE_PONG = 0x1, 0x8, 0x9, 0xA


def sign_up(base_url: str) -> tuple[int, str]:
    """A fresh account through base_url (…/api/auth/signup): its user id and access token."""
    email = f"live-{uuid.uuid4().hex[:12]}@example.com"
    response = requests.post(f"{base_url.rstrip('/')}/api/auth/signup", json={"email": email, "password": PASSWORD},
                             timeout=HTTP_TIMEOUT_S)
    if response.status_code != 201:
        raise ClusterOperationFailed(f"signup through {base_url} answered {response.status_code}: {response.text}")
    body = response.json()
    return body["user"]["id"], body["access_token"]


def create_task(base_url: str, token: str, title: str) -> dict:
    response = requests.post(f"{base_url.rstrip('/')}/api/tasks", json={"title": title},
                             headers={"Authorization": f"Bearer {token}"}, timeout=HTTP_TIMEOUT_S)
    if response.status_code != 201:
        raise ClusterOperationFailed(f"creating a task through {base_url} answered {response.status_code}")
    return response.json()


class LiveFeed:
    """One WebSocket on <base_url>api/ws?token=…, open from construction until close()."""

    def __init__(self, base_url: str, token: str, timeout: float = HTTP_TIMEOUT_S):
        parts = urlsplit(base_url)
        host, port = parts.hostname or "127.0.0.1", parts.port or 80
        self._socket = socket.create_connection((host, port), timeout=timeout)
        self._buffer = b""
        key = base64.b64encode(os.urandom(16)).decode()
        request = (f"GET /api/ws?token={token} HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\n"
                   f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n")
        self._socket.sendall(request.encode())
        head = self._read_until(b"\r\n\r\n").decode(errors="replace")
        if not head.startswith("HTTP/1.1 101"):
            self.close()
            raise ClusterOperationFailed(f"WebSocket handshake on {base_url} failed: {head.splitlines()[0]}")

    def _read_until(self, marker: bytes) -> bytes:
        while marker not in self._buffer:
            self._fill()
        head, _, self._buffer = self._buffer.partition(marker)
        return head

    def _read(self, count: int) -> bytes:
        while len(self._buffer) < count:
            self._fill()
        data, self._buffer = self._buffer[:count], self._buffer[count:]
        return data

    def _fill(self) -> None:
        chunk = self._socket.recv(65536)
        if not chunk:
            raise ClusterOperationFailed("WebSocket closed by the server")
        self._buffer += chunk

    def _send(self, opcode: int, payload: bytes = b"") -> None:
        mask = os.urandom(4)
        assert len(payload) < 126, "control frames only"
        masked = bytes(byte ^ mask[index % 4] for index, byte in enumerate(payload))
        self._socket.sendall(bytes([0x80 | opcode, 0x80 | len(payload)]) + mask + masked)

    def receive_json(self, timeout: float) -> dict:
        """The next text message; TimeoutError when none comes within timeout seconds."""
        self._socket.settimeout(timeout)
        while True:
            first, second = self._read(2)
            opcode, length = first & 0x0F, second & 0x7F
            if length == 126:
                (length,) = struct.unpack("!H", self._read(2))
            elif length == 127:
                (length,) = struct.unpack("!Q", self._read(8))
            payload = self._read(length)  # a server never masks its frames
            if opcode == OPCODE_TEXT:
                return json.loads(payload)
            if opcode == OPCODE_PING:
                self._send(OPCODE_PONG, payload)
            elif opcode == OPCODE_CLOSE:
                code = struct.unpack("!H", payload[:2])[0] if len(payload) >= 2 else None
                raise ClusterOperationFailed(f"WebSocket closed by the server with code {code}")

    def close(self) -> None:
        try:
            self._send(OPCODE_CLOSE, struct.pack("!H", 1000))
        except OSError:
            pass
        self._socket.close()
