"""livefeed's WebSocket client against a loopback server that only pings: it answers every ping
(uvicorn closes an unanswering client with 1011), and a timeout is a deadline that pings do not
extend, so a quiet minute through the edge ends on time."""

import socket
import threading
import time

import pytest

from deploykit.release.livefeed import OPCODE_PING, OPCODE_PONG, LiveFeed


@pytest.fixture
def pinging_server():
    listener = socket.create_server(("127.0.0.1", 0))
    pongs: list[bytes] = []
    stop = threading.Event()

    def serve():
        connection, _ = listener.accept()
        request = b""
        while b"\r\n\r\n" not in request:
            request += connection.recv(4096)
        connection.sendall(b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n")
        connection.settimeout(0.1)
        while not stop.is_set():
            connection.sendall(bytes([0x80 | OPCODE_PING, 2]) + b"hi")
            try:
                frame = connection.recv(4096)
            except TimeoutError:
                continue
            if frame and frame[0] & 0x0F == OPCODE_PONG:
                pongs.append(frame)
        connection.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}/", pongs
    stop.set()
    thread.join(timeout=5)
    listener.close()


def test_pings_are_answered_and_do_not_extend_the_timeout(pinging_server):
    url, pongs = pinging_server
    feed = LiveFeed(url, "token")
    started = time.monotonic()
    try:
        assert feed.stay_open(1.0) == []
    finally:
        feed.close()
    assert time.monotonic() - started < 2.0
    assert len(pongs) >= 3
