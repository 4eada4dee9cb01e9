"""Live updates on a release, seen as a browser sees them: an account, WebSocket clients on
/api/ws (each on the URL it is given, e.g. one backend pod's port-forward) and the task events they
hear, and task changes made over HTTP; `on_each_pod` puts one client on each of a release's pods.
The WebSocket client is a minimal RFC 6455 one on the standard library: it reads the server's
text frames, answers pings and masks what it sends, as clients must."""

import base64
import contextlib
import json
import os
import socket
import ssl
import struct
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

import requests

from deploykit.foundation.errors import ClusterOperationFailed
from deploykit.release import portforward
from deploykit.tools.kubectl import Kubectl

HTTP_TIMEOUT_S = 10
PASSWORD = "live-feed check password"
OPCODE_TEXT, OPCODE_CLOSE, OPCODE_PING, OPCODE_PONG = 0x1, 0x8, 0x9, 0xA


def sign_up(base_url: str, session=requests) -> tuple[int, str]:
    """A fresh account through base_url (…/api/auth/signup): its user id and access token.
    session: a requests.Session that knows how to reach base_url (the edge's), or requests."""
    email = f"live-{uuid.uuid4().hex[:12]}@example.com"
    response = session.post(f"{base_url.rstrip('/')}/api/auth/signup", json={"email": email, "password": PASSWORD},
                             timeout=HTTP_TIMEOUT_S)
    if response.status_code != 201:
        raise ClusterOperationFailed(f"signup through {base_url} answered {response.status_code}: {response.text}")
    body = response.json()
    return body["user"]["id"], body["access_token"]


def create_task(base_url: str, token: str, title: str, session=requests) -> dict:
    response = session.post(f"{base_url.rstrip('/')}/api/tasks", json={"title": title},
                             headers={"Authorization": f"Bearer {token}"}, timeout=HTTP_TIMEOUT_S)
    if response.status_code != 201:
        raise ClusterOperationFailed(f"creating a task through {base_url} answered {response.status_code}")
    return response.json()


class LiveFeed:
    """One WebSocket on <base_url>api/ws?token=…, open from construction until close(). With tls
    (a context) and server_name, the WebSocket runs over TLS presenting that name, as wss:// to a
    gateway does."""

    def __init__(self, base_url: str, token: str, timeout: float = HTTP_TIMEOUT_S,
                 tls: ssl.SSLContext | None = None, server_name: str | None = None):
        parts = urlsplit(base_url)
        host, port = parts.hostname or "127.0.0.1", parts.port or 80
        self._socket = socket.create_connection((host, port), timeout=timeout)
        if tls:
            self._socket = tls.wrap_socket(self._socket, server_hostname=server_name or host)
        self._buffer = b""
        key = base64.b64encode(os.urandom(16)).decode()
        authority = server_name or f"{host}:{port}"
        request = (f"GET /api/ws?token={token} HTTP/1.1\r\nHost: {authority}\r\nUpgrade: websocket\r\n"
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
        """The next text message; TimeoutError when none comes within timeout seconds (pings
        answered meanwhile do not extend it)."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"no message within {timeout:g} s")
            self._socket.settimeout(left)
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

    def stay_open(self, seconds: float) -> list[dict]:
        """Keep the socket open for `seconds` as an idle browser tab does, answering the server's
        pings (uvicorn closes with 1011 when they go unanswered); returns what was heard meanwhile."""
        heard, deadline = [], time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            try:
                heard.append(self.receive_json(timeout=left))
            except TimeoutError:
                break
        return heard

    def close(self) -> None:
        try:
            self._send(OPCODE_CLOSE, struct.pack("!H", 1000))
        except OSError:
            pass
        self._socket.close()


# Each pod registers its socket just after the handshake; a change made sooner would not reach it.
REGISTRATION_S = 0.5


@dataclass
class PodFeeds:
    """An account signed up through a Service, and one LiveFeed on each of the given pods."""

    service_url: str
    token: str
    pod_urls: dict[str, str]
    feeds: dict[str, LiveFeed]

    def heard(self, timeout: float) -> dict[str, dict | None]:
        """The next message each pod's client hears within timeout seconds (None: silence)."""
        deadline = time.monotonic() + timeout
        heard: dict[str, dict | None] = {}
        for pod, feed in self.feeds.items():
            try:
                heard[pod] = feed.receive_json(timeout=max(deadline - time.monotonic(), 0.05))
            except TimeoutError:
                heard[pod] = None
        return heard


@contextlib.contextmanager
def on_each_pod(kubectl: Kubectl, namespace: str, service: str, service_port: int, pods: list[str],
                pod_port: int) -> Iterator[PodFeeds]:
    """PodFeeds for the block: the Service and each pod port-forwarded from 127.0.0.1."""
    with contextlib.ExitStack() as stack:
        service_url = stack.enter_context(portforward.forwarded(kubectl, namespace, service, service_port))
        _, token = sign_up(service_url)
        pod_urls, feeds = {}, {}
        for pod in pods:
            pod_urls[pod] = stack.enter_context(portforward.forwarded_to(kubectl, namespace, f"pod/{pod}", pod_port))
            feeds[pod] = LiveFeed(pod_urls[pod], token)
            stack.callback(feeds[pod].close)
        time.sleep(REGISTRATION_S)
        yield PodFeeds(service_url, token, pod_urls, feeds)
