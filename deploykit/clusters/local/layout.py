"""Where the local cluster keeps its state, and the config files its daemons read.

Addresses are all ours: the pod network lives on a bridge this module creates, and the
node's address is that bridge's gateway, so no traffic leaves the machine.
"""

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from deploykit.clusters.local.build import PAUSE_IMAGE

NODE_NAME = "todo-local"
BRIDGE = "todocni0"
POD_NETWORK_NAME = "todo-pod-network"
POD_CIDR = "10.244.0.0/16"
NODE_POD_CIDR = "10.244.0.0/24"
NODE_IP = "10.244.0.1"  # the bridge's gateway address: reachable from the host and from pods
SERVICE_CIDR = "10.96.0.0/16"
API_SERVICE_IP = "10.96.0.1"
DNS_SERVICE_IP = "10.96.0.10"
API_PORT = 6443
CNI_BIN_DIR = "/usr/lib/cni"


def _root(system_default: str, below_state_dir: str) -> Path:
    """DEPLOYKIT_STATE_DIR moves all of the cluster's state under one directory (a rehearsal's
    cluster must not share anything with the user's)."""
    state_dir = os.environ.get("DEPLOYKIT_STATE_DIR")
    return Path(state_dir) / below_state_dir if state_dir else Path(system_default)


@dataclass(frozen=True)
class Layout:
    state: Path = field(default_factory=lambda: _root("/var/lib/todo-list-hackathon/cluster", "lib/cluster"))
    run: Path = field(default_factory=lambda: _root("/run/todo-list-hackathon/cluster", "run/cluster"))

    @property
    def pki(self) -> Path:
        return self.state / "pki"

    @property
    def config(self) -> Path:
        return self.state / "config"

    @property
    def containerd_socket(self) -> Path:
        return self.run / "containerd" / "containerd.sock"

    @property
    def admin_kubeconfig(self) -> Path:
        return self.config / "admin.kubeconfig"

    def kubeconfig(self, user: str) -> Path:
        return self.config / f"{user}.kubeconfig"

    def pidfile(self, daemon: str) -> Path:
        return self.run / f"{daemon}.pid"

    def create(self) -> None:
        for path in (self.pki, self.config, self.run, self.state / "cni" / "net.d"):
            path.mkdir(parents=True, exist_ok=True)


def _dump(path: Path, data, fmt: str = "yaml") -> Path:
    path.write_text(json.dumps(data, indent=2) if fmt == "json" else yaml.safe_dump(data, sort_keys=False))
    return path


def write_kubeconfig(layout: Layout, user: str, cert: str) -> Path:
    pki = layout.pki
    return _dump(layout.kubeconfig(user), {
        "apiVersion": "v1", "kind": "Config", "current-context": "todo-local",
        "clusters": [{"name": "todo-local", "cluster": {
            "server": f"https://127.0.0.1:{API_PORT}", "certificate-authority": str(pki / "ca.crt")}}],
        "users": [{"name": user, "user": {
            "client-certificate": str(pki / f"{cert}.crt"), "client-key": str(pki / f"{cert}.key")}}],
        "contexts": [{"name": "todo-local", "context": {"cluster": "todo-local", "user": user}}],
    })


def write_containerd_config(layout: Layout) -> Path:
    cri = 'plugins."io.containerd.grpc.v1.cri"'
    text = f"""version = 2
root = "{layout.state / 'containerd'}"
state = "{layout.run / 'containerd-state'}"

[grpc]
  address = "{layout.containerd_socket}"
[ttrpc]
  address = "{layout.containerd_socket}.ttrpc"

[{cri}]
  sandbox_image = "{PAUSE_IMAGE}"
  # Some hosts (this CI's VMs among them) withhold CAP_SYS_RESOURCE even from root, so an
  # oom_score_adj below our own (-998 for sandboxes) cannot be set: clamp instead of failing.
  restrict_oom_score_adj = true
  [{cri}.cni]
    bin_dir = "{CNI_BIN_DIR}"
    conf_dir = "{layout.state / 'cni' / 'net.d'}"
  [{cri}.containerd.runtimes.runc]
    runtime_type = "io.containerd.runc.v2"
    [{cri}.containerd.runtimes.runc.options]
      SystemdCgroup = false
"""
    path = layout.config / "containerd.toml"
    path.write_text(text)
    return path


def write_cni_config(layout: Layout) -> Path:
    return _dump(layout.state / "cni" / "net.d" / "10-todo-bridge.conflist", {
        "cniVersion": "1.0.0", "name": POD_NETWORK_NAME,
        "plugins": [
            {"type": "bridge", "bridge": BRIDGE, "isGateway": True, "ipMasq": True, "hairpinMode": True,
             "ipam": {"type": "host-local", "ranges": [[{"subnet": NODE_POD_CIDR, "gateway": NODE_IP}]],
                      "routes": [{"dst": "0.0.0.0/0"}]}},
            {"type": "portmap", "capabilities": {"portMappings": True}},
            {"type": "firewall"},
        ],
    }, fmt="json")


def write_kubelet_config(layout: Layout) -> Path:
    pki = layout.pki
    return _dump(layout.config / "kubelet.yaml", {
        "apiVersion": "kubelet.config.k8s.io/v1beta1", "kind": "KubeletConfiguration",
        "authentication": {"anonymous": {"enabled": False}, "webhook": {"enabled": True},
                           "x509": {"clientCAFile": str(pki / "ca.crt")}},
        "authorization": {"mode": "Webhook"},
        "cgroupDriver": "cgroupfs",
        "containerRuntimeEndpoint": f"unix://{layout.containerd_socket}",
        "clusterDomain": "cluster.local",
        "clusterDNS": [DNS_SERVICE_IP],
        "tlsCertFile": str(pki / "kubelet-serving.crt"),
        "tlsPrivateKeyFile": str(pki / "kubelet-serving.key"),
        "failSwapOn": False,
        # Imported images cannot be pulled again here: never garbage-collect them.
        "imageGCHighThresholdPercent": 100,
        "imageGCLowThresholdPercent": 99,
        "evictionHard": {"memory.available": "100Mi", "nodefs.available": "1%", "imagefs.available": "1%"},
        "serializeImagePulls": False,
        "podCIDR": NODE_POD_CIDR,
        "resolvConf": str(write_pod_resolv_conf(layout)),
    })


def write_pod_resolv_conf(layout: Layout) -> Path:
    # Pods resolve only cluster names: the host's upstream resolver is never used from a pod.
    path = layout.config / "resolv.conf"
    path.write_text("")
    return path


def write_kube_proxy_config(layout: Layout) -> Path:
    return _dump(layout.config / "kube-proxy.yaml", {
        "apiVersion": "kubeproxy.config.k8s.io/v1alpha1", "kind": "KubeProxyConfiguration",
        "clientConnection": {"kubeconfig": str(layout.kubeconfig("kube-proxy"))},
        "mode": "iptables", "clusterCIDR": POD_CIDR, "hostnameOverride": NODE_NAME,
        "bindAddress": "127.0.0.1", "healthzBindAddress": "127.0.0.1:10256",
        "metricsBindAddress": "127.0.0.1:10249",
        # Leave the host's conntrack sysctls alone.
        "conntrack": {"maxPerCore": 0, "min": 0},
    })
