"""The local cluster's certificates: the identities its RBAC expects, kept across restarts."""

from cryptography import x509

from deploykit.clusters.local import pki


def test_pki_issues_identities_rbac_expects(tmp_path):
    pki.ensure_pki(tmp_path, "node-a", "10.244.0.1", "10.96.0.1")
    kubelet = x509.load_pem_x509_certificate((tmp_path / "kubelet.crt").read_bytes())
    subject = {attr.oid._name: attr.value for attr in kubelet.subject}
    assert subject == {"commonName": "system:node:node-a", "organizationName": "system:nodes"}
    apiserver = x509.load_pem_x509_certificate((tmp_path / "apiserver.crt").read_bytes())
    sans = apiserver.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert "kubernetes.default.svc.cluster.local" in sans.get_values_for_type(x509.DNSName)
    assert {str(ip) for ip in sans.get_values_for_type(x509.IPAddress)} >= {"10.96.0.1", "10.244.0.1"}


def test_pki_keeps_existing_certificates_on_restart(tmp_path):
    pki.ensure_pki(tmp_path, "node-a", "10.244.0.1", "10.96.0.1")
    before = (tmp_path / "admin.crt").read_bytes()
    pki.ensure_pki(tmp_path, "node-a", "10.244.0.1", "10.96.0.1")
    assert (tmp_path / "admin.crt").read_bytes() == before

