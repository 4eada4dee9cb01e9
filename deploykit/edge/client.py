"""Requests to the app as a browser outside the cluster sends them: HTTPS to the route's hostname,
through a forward to the edge's TLS listener. The connection goes to 127.0.0.1:<forwarded port>,
while the TLS server name (SNI), the certificate check and the Host header all say the hostname,
so the gateway picks its listener, certificate and route exactly as for a real client."""

import ssl
from dataclasses import dataclass
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter

from deploykit.edge.certificate import ServerCertificate


class _ServerNameAdapter(HTTPAdapter):
    def __init__(self, hostname: str):
        self.hostname = hostname
        super().__init__()

    def init_poolmanager(self, *args, **kwargs):
        kwargs["server_hostname"] = self.hostname  # urllib3: SNI and the name the certificate must carry
        super().init_poolmanager(*args, **kwargs)


@dataclass
class EdgeAddress:
    """Where the edge answers (the forward's 127.0.0.1:port) and for which name and certificate."""

    forward_url: str  # http://127.0.0.1:<port>/ as portforward yields it
    certificate: ServerCertificate
    ca_file: str

    @property
    def hostname(self) -> str:
        return self.certificate.hostname

    @property
    def port(self) -> int:
        return urlsplit(self.forward_url).port or 443

    @property
    def base_url(self) -> str:
        """The URL a client asks for: https://127.0.0.1:<port>/ (the name travels in SNI and Host)."""
        return f"https://127.0.0.1:{self.port}/"

    @property
    def browser_url(self) -> str:
        """https://<hostname>:<port>/, for a browser told to resolve hostname to 127.0.0.1."""
        return f"https://{self.hostname}:{self.port}/"

    def session(self) -> requests.Session:
        session = requests.Session()
        session.mount("https://", _ServerNameAdapter(self.hostname))
        session.verify = self.ca_file
        session.trust_env = False  # REQUESTS_CA_BUNDLE would otherwise replace the test CA
        session.headers["Host"] = self.hostname
        return session

    def tls_context(self) -> ssl.SSLContext:
        """For a raw socket (the WebSocket client): trusts the test CA only."""
        return ssl.create_default_context(cadata=self.certificate.ca_pem.decode())

    def serves_root(self) -> bool:
        """True once the edge answers / for the hostname (a forward's readiness check)."""
        with self.session() as session:
            return session.get(self.base_url, timeout=3).status_code == 200
