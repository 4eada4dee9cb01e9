"""The local cluster's host changes are removed completely: only its own iptables chains and
jumps go."""

from deploykit.clusters.local import host

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

