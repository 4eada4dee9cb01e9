"""What the node image changes in the components it takes from kind and kube-network-policies,
on stand-in sources: the policy agent re-syncs its rules in place (so no queued packet is
dropped), and kindnet's DaemonSet lets it read new pods' addresses from their network
namespaces; a source that no longer has the expected shape is refused, never half-edited."""

import pytest
import yaml

from deploykit.clusters.kind import build, manifests

# The lines of kube-network-policies v0.8.0's syncNFTablesRules that the build edits.
CONTROLLER = """func (c *Controller) syncNFTablesRules(ctx context.Context) error {
	nft.AddTable(table)
	nft.DelTable(table)
	nft.AddTable(table)
		if err := nft.AddSet(v4Set, elementsV4); err != nil {
		if err := nft.AddSet(v6Set, elementsV6); err != nil {
}
func (c *Controller) cleanNFTablesRules(ctx context.Context) {
	nft.DelTable(table)
}
"""

# The parts of kind's kindnet DaemonSet (const_cni.go) that the node image edits.
KINDNET = """apiVersion: apps/v1
kind: DaemonSet
spec:
  template:
    spec:
      containers:
      - name: kindnet-cni
        image: @@kindnetdImage@@
        env:
        - name: HOST_IP
          value: x
        volumeMounts:
        - name: nri-plugin
          mountPath: /var/run/nri
        securityContext:
          privileged: false
          capabilities:
            add: ["NET_RAW", "NET_ADMIN"]
      volumes:
      - name: nri-plugin
        hostPath:
          path: /var/run/nri
"""


@pytest.fixture
def package(tmp_path):
    (tmp_path / "controller.go").write_text(CONTROLLER)
    return tmp_path


def test_the_policy_agent_flushes_its_table_instead_of_re_creating_it(package):
    build._sync_in_place(package)
    sync, clean = (package / "controller.go").read_text().split("func (c *Controller) cleanNFTablesRules")
    assert "nft.FlushTable(table)" in sync and "DelTable" not in sync
    assert "replaceSet(nft, v4Set, elementsV4)" in sync and "replaceSet(nft, v6Set, elementsV6)" in sync
    assert "nft.DelTable(table)" in clean  # on exit the agent still removes its table
    assert (package / "zz_replace_set.go").read_text() == build.REPLACE_SET.read_text()


def test_a_controller_of_another_shape_is_refused_by_name(package):
    (package / "controller.go").write_text(CONTROLLER.replace("\tnft.DelTable(table)\n\tnft.AddTable(table)\n", ""))
    with pytest.raises(RuntimeError, match="nft.AddTable"):
        build._sync_in_place(package)
    assert not (package / "zz_replace_set.go").exists()


def test_kindnet_reads_new_pods_addresses_from_the_hosts_network_namespaces(monkeypatch):
    monkeypatch.setattr(manifests, "_go_constant", lambda *_: KINDNET.replace("@@kindnetdImage@@", "img"))
    daemonset = yaml.safe_load(manifests.default_cni("img"))
    pod = daemonset["spec"]["template"]["spec"]
    container = pod["containers"][0]
    assert {"name": "netns", "mountPath": "/var/run/netns", "mountPropagation": "HostToContainer"} \
        in container["volumeMounts"]
    assert {"name": "netns", "hostPath": {"path": "/var/run/netns"}} in pod["volumes"]
    assert "SYS_ADMIN" in container["securityContext"]["capabilities"]["add"]
    assert container["env"][0]["name"] == "NODE_NAME"


def test_a_kindnet_manifest_of_another_shape_is_refused(monkeypatch):
    monkeypatch.setattr(manifests, "_go_constant", lambda *_: KINDNET.replace("nri-plugin", "nri"))
    with pytest.raises(RuntimeError, match="changed shape"):
        manifests.default_cni("img")
