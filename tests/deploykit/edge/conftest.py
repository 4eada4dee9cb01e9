"""A stand-in edge on loopback: an HTTPS server presenting the test certificate for the hostname,
answering like the frontend (HTML pages, the API's JSON) or, when told, like a route to the
backend Service (JSON 404 everywhere)."""

import http.server
import json
import ssl
import threading

import pytest

from deploykit.edge import certificate
from deploykit.edge.client import EdgeAddress

HOSTNAME = "todo.example.com"


class StandInEdge(http.server.ThreadingHTTPServer):
    routes_to_backend = False
    hosts_seen: list


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (http.server's name)
        self.server.hosts_seen.append(self.headers["Host"])
        if self.server.routes_to_backend:
            self._reply(404, "application/json", json.dumps({"detail": "Not Found"}))
        elif self.path == "/api/health":
            self._reply(200, "application/json", json.dumps({"status": "ok"}))
        else:
            self._reply(200, "text/html", "<!doctype html><title>Todo</title>")

    def _reply(self, status: int, kind: str, body: str) -> None:
        data = body.encode()
        self.send_response(status)
        self.send_header("content-type", kind)
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server_certificate():
    return certificate.server_certificate(HOSTNAME)


@pytest.fixture
def stand_in_edge(tmp_path, server_certificate):
    cert, key = tmp_path / "tls.crt", tmp_path / "tls.key"
    cert.write_bytes(server_certificate.cert_pem)
    key.write_bytes(server_certificate.key_pem)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server = StandInEdge(("127.0.0.1", 0), Handler)
    server.hosts_seen = []
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def address(stand_in_edge, server_certificate, tmp_path) -> EdgeAddress:
    ca_file = server_certificate.write_ca(tmp_path / "ca.crt")
    return EdgeAddress(f"http://127.0.0.1:{stand_in_edge.server_address[1]}/", server_certificate, str(ca_file))
