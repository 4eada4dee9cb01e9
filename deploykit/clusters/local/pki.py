"""The local cluster's certificates: one CA, one certificate per component identity.

Identities follow what the default RBAC bootstrap policy expects (system:kube-scheduler,
system:node:<name> in system:nodes, ...), so no extra bindings are needed.
"""

import datetime
import ipaddress
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

VALIDITY = datetime.timedelta(days=365)


@dataclass(frozen=True)
class Identity:
    filename: str
    common_name: str
    organization: str | None = None
    server: bool = False
    client: bool = True
    dns_names: tuple = ()
    ip_addresses: tuple = ()


def identities(node_name: str, node_ip: str, service_ip: str) -> list[Identity]:
    return [
        Identity("apiserver", "kube-apiserver", server=True, client=False,
                 dns_names=("kubernetes", "kubernetes.default", "kubernetes.default.svc",
                            "kubernetes.default.svc.cluster.local", "localhost"),
                 ip_addresses=("127.0.0.1", node_ip, service_ip)),
        Identity("apiserver-kubelet-client", "kube-apiserver-kubelet-client", "system:masters"),
        Identity("admin", "kubernetes-admin", "system:masters"),
        Identity("controller-manager", "system:kube-controller-manager"),
        Identity("scheduler", "system:kube-scheduler"),
        Identity("kube-proxy", "system:kube-proxy"),
        Identity("kubelet", f"system:node:{node_name}", "system:nodes"),
        Identity("kubelet-serving", node_name, server=True, client=False,
                 dns_names=(node_name, "localhost"), ip_addresses=("127.0.0.1", node_ip)),
    ]


def _name(common_name: str, organization: str | None = None) -> x509.Name:
    attributes = [x509.NameAttribute(NameOID.COMMON_NAME, common_name)]
    if organization:
        attributes.insert(0, x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization))
    return x509.Name(attributes)


def _pem_key(key) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def _write(path: Path, data: bytes, mode: int) -> None:
    path.write_bytes(data)
    path.chmod(mode)


def _make_ca(directory: Path):
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.datetime.now(datetime.UTC)
    name = _name("todo-list-hackathon-local-ca")
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + VALIDITY * 10)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True,
                                     content_commitment=False, key_encipherment=False,
                                     data_encipherment=False, key_agreement=False,
                                     encipher_only=False, decipher_only=False), critical=True)
        .sign(key, hashes.SHA256())
    )
    _write(directory / "ca.key", _pem_key(key), 0o600)
    _write(directory / "ca.crt", cert.public_bytes(serialization.Encoding.PEM), 0o644)
    return key, cert


def _issue(directory: Path, identity: Identity, ca_key, ca_cert) -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.datetime.now(datetime.UTC)
    usages = ([ExtendedKeyUsageOID.SERVER_AUTH] if identity.server else []) + (
        [ExtendedKeyUsageOID.CLIENT_AUTH] if identity.client else [])
    builder = (
        x509.CertificateBuilder().subject_name(_name(identity.common_name, identity.organization))
        .issuer_name(ca_cert.subject).public_key(key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + VALIDITY)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage(usages), critical=False)
    )
    sans = [x509.DNSName(n) for n in identity.dns_names] + [
        x509.IPAddress(ipaddress.ip_address(ip)) for ip in identity.ip_addresses]
    if sans:
        builder = builder.add_extension(x509.SubjectAlternativeName(sans), critical=False)
    cert = builder.sign(ca_key, hashes.SHA256())
    _write(directory / f"{identity.filename}.key", _pem_key(key), 0o600)
    _write(directory / f"{identity.filename}.crt", cert.public_bytes(serialization.Encoding.PEM), 0o644)


def _make_service_account_keys(directory: Path) -> None:
    # Service-account tokens are signed with RSA: the apiserver's default signing algorithm.
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    _write(directory / "sa.key", _pem_key(key), 0o600)
    public = key.public_key().public_bytes(serialization.Encoding.PEM,
                                           serialization.PublicFormat.SubjectPublicKeyInfo)
    _write(directory / "sa.pub", public, 0o644)


def ensure_pki(directory: Path, node_name: str, node_ip: str, service_ip: str) -> None:
    """Create every missing key and certificate; existing ones are kept so restarts reuse them."""
    directory.mkdir(parents=True, exist_ok=True)
    if (directory / "ca.crt").exists():
        ca_key = serialization.load_pem_private_key((directory / "ca.key").read_bytes(), None)
        ca_cert = x509.load_pem_x509_certificate((directory / "ca.crt").read_bytes())
    else:
        ca_key, ca_cert = _make_ca(directory)
    for identity in identities(node_name, node_ip, service_ip):
        if not (directory / f"{identity.filename}.crt").exists():
            _issue(directory, identity, ca_key, ca_cert)
    if not (directory / "sa.key").exists():
        _make_service_account_keys(directory)
