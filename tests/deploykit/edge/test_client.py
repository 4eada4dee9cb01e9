"""edge.client reaches the edge at 127.0.0.1 while the TLS server name, the certificate check
and the Host header all say the route's hostname; the test CA alone is trusted."""

import dataclasses

import pytest
import requests

from deploykit.edge import certificate

from .conftest import HOSTNAME


def test_the_session_verifies_the_certificate_for_the_hostname_and_sends_it_as_host(address, stand_in_edge):
    with address.session() as session:
        assert session.get(address.base_url + "signup", timeout=5).status_code == 200
    assert stand_in_edge.hosts_seen == [HOSTNAME]
    assert address.serves_root()


def test_a_certificate_from_another_ca_is_refused(address, tmp_path):
    stranger = certificate.server_certificate(HOSTNAME)
    other = dataclasses.replace(address, ca_file=str(stranger.write_ca(tmp_path / "other-ca.crt")))
    with other.session() as session, pytest.raises(requests.exceptions.SSLError):
        session.get(other.base_url, timeout=5)


def test_a_certificate_for_another_name_is_refused(address, server_certificate):
    elsewhere = dataclasses.replace(address, certificate=dataclasses.replace(server_certificate,
                                                                             hostname="other.example.com"))
    with elsewhere.session() as session, pytest.raises(requests.exceptions.SSLError):
        session.get(elsewhere.base_url, timeout=5)


def test_the_browser_url_names_the_hostname_on_the_forwarded_port(address):
    assert address.browser_url == f"https://{HOSTNAME}:{address.port}/"
    assert len(address.certificate.spki_sha256) == 44  # base64 of a SHA-256
