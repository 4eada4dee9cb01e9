"""Cluster providers: picked by name, configured consistently, and cleaned up completely —
checked without starting a cluster."""

import pytest
import yaml
from cryptography import x509

from deploykit import clusters
from deploykit.clusters.local import build, host, layout, pki
from deploykit.foundation.errors import ClusterUnavailable


def test_provider_unknown_name_lists_valid_ones():
    with pytest.raises(ClusterUnavailable, match="choose one of: existing, minikube, local"):
        clusters.provider("kind")


@pytest.mark.parametrize("name", ["existing", "minikube", "local"])
def test_provider_known_name_returns_matching_provider(name):
    assert clusters.provider(name).NAME == name


def test_choose_honours_cluster_environment_variable(monkeypatch):
    monkeypatch.setenv("CLUSTER", "minikube")
    assert clusters.choose().NAME == "minikube"


IPTABLES_SAVE = """*filter
:INPUT ACCEPT [0:0]
:FORWARD DROP [0:0]
:DOCKER - [0:0]
:KUBE-FORWARD - [0:0]
:CNI-FORWARD - [0:0]
:TODO-FORWARD - [0:0]
-A FORWARD -j TODO-FORWARD
-A FORWARD -m comment --comment "kubernetes forwarding rules" -j KUBE-FORWARD
-A FORWARD -j CNI-FORWARD
-A FORWARD -o docker0 -j DOCKER
-A KUBE-FORWARD -m conntrack --ctstate INVALID -j DROP
-A TODO-FORWARD -s 10.244.0.0/16 -j ACCEPT
COMMIT
"""


def test_strip_cluster_rules_removes_our_chains_and_jumps_only():
    stripped = host.strip_cluster_rules(IPTABLES_SAVE)
    assert "KUBE-" not in stripped and "CNI-" not in stripped and "TODO-" not in stripped
    assert ":DOCKER - [0:0]" in stripped
    assert "-A FORWARD -o docker0 -j DOCKER" in stripped
    assert stripped.startswith("*filter") and stripped.rstrip().endswith("COMMIT")


def test_kubelet_config_never_garbage_collects_imported_images(tmp_path):
    paths = layout.Layout(state=tmp_path / "state", run=tmp_path / "run")
    paths.create()
    config = yaml.safe_load(layout.write_kubelet_config(paths).read_text())
    assert config["imageGCHighThresholdPercent"] == 100
    assert config["cgroupDriver"] == "cgroupfs"
    assert config["clusterDNS"] == [layout.DNS_SERVICE_IP]
    assert config["containerRuntimeEndpoint"] == f"unix://{paths.containerd_socket}"


def test_containerd_config_uses_honest_local_pause_image(tmp_path):
    paths = layout.Layout(state=tmp_path / "state", run=tmp_path / "run")
    paths.create()
    text = layout.write_containerd_config(paths).read_text()
    assert f'sandbox_image = "{build.PAUSE_IMAGE}"' in text
    assert build.PAUSE_IMAGE.startswith("localhost/")
    assert "SystemdCgroup = false" in text


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


def test_cache_key_changes_with_go_version(monkeypatch):
    monkeypatch.setattr(build, "go_version", lambda: "go1.26.8")
    first = build.cache_key("kube", build.KUBERNETES_VERSION, build.KUBE_SOURCE)
    monkeypatch.setattr(build, "go_version", lambda: "go1.27.0")
    assert build.cache_key("kube", build.KUBERNETES_VERSION, build.KUBE_SOURCE) != first


def test_go_missing_says_what_to_install(monkeypatch):
    monkeypatch.setattr(build.shutil, "which", lambda name, path=None: None)
    with pytest.raises(Exception, match="needs Go"):
        build.go_version()
