"""The local provider: a real single-node Kubernetes built from upstream sources on this
machine (for hosts that can pull no minikube/kind image), with Debian's containerd, runc,
CNI plugins and etcd. No systemd: each daemon runs in the background with a log and pid file.
"""

import time

import requests

from deploykit.clusters.base import Cluster
from deploykit.clusters.local import addons, build, host, images, pki
from deploykit.clusters.local.layout import (
    API_PORT,
    API_SERVICE_IP,
    NODE_IP,
    NODE_NAME,
    NODE_POD_CIDR,
    POD_CIDR,
    SERVICE_CIDR,
    Layout,
    write_cni_config,
    write_containerd_config,
    write_kube_proxy_config,
    write_kubeconfig,
    write_kubelet_config,
)
from deploykit.foundation.errors import ClusterUnavailable
from deploykit.foundation.log import logger
from deploykit.foundation.run import run
from deploykit.foundation.waits import WaitTimeout, wait_until
from deploykit.tools import apt, daemons

# containerd 1.7 (Debian trixie) is what Kubernetes 1.34 is supported on; bookworm has 1.6.
HOST_PACKAGES = ("containerd/trixie", "etcd-server/trixie", "runc", "containernetworking-plugins",
                 "iptables", "conntrack", "gcc", "libc6-dev", "iproute2")
# Started in this order, stopped in reverse.
DAEMONS = ("containerd", "etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler",
           "kubelet", "kube-proxy")


class LocalCluster(Cluster):
    NAME = "local"

    def __init__(self, layout: Layout | None = None):
        self.layout = layout or Layout()

    @property
    def kubeconfig(self) -> str:
        return str(self.layout.admin_kubeconfig)

    def describe(self) -> str:
        return f"local (Kubernetes {build.KUBERNETES_VERSION} built from source)"

    def chart_values(self) -> dict:
        # No dynamic volume provisioner runs here (its image cannot be pulled): the in-cluster
        # database keeps its data in an emptyDir, which is what a throwaway test install wants.
        return {"postgresql": {"persistence": {"enabled": False}}}

    def running(self) -> bool:
        """Every daemon alive and the API answering."""
        return all(daemons.pid_of(self.layout.pidfile(name)) for name in DAEMONS) and self.reachable()

    # ---- start ---------------------------------------------------------------------------

    def start(self) -> None:
        if not apt.can_install() and not apt.installed("etcd-server"):
            raise ClusterUnavailable("the local cluster runs as root on Debian; use --cluster minikube elsewhere")
        apt.ensure_trixie_pin()
        apt.ensure_packages(*HOST_PACKAGES, why="the local Kubernetes cluster")
        kube = build.kube_binary()
        system_images = images.ensure_system_images()
        running = [name for name in DAEMONS if daemons.pid_of(self.layout.pidfile(name))]
        if self.running():
            logger.info("local cluster already running; reusing it")
            return
        if not running:
            # A killed session or a reboot leaves mounts, netns, the bridge and chains behind.
            self._clear_leftovers()
        self._configure()
        started = time.monotonic()
        for name in DAEMONS:
            self._start_daemon(name, kube)
        self._wait_node_ready()
        self.load_images(system_images)
        self.kubectl().apply(addons.coredns_manifest())
        self._wait(lambda: self.kubectl()("-n", "kube-system", "rollout", "status", "deploy/coredns",
                                          "--timeout=5s", check=False).succeeded,
                   "CoreDNS ready", 180, "coredns")
        logger.info(f"local cluster ready in {time.monotonic() - started:.0f} s; KUBECONFIG={self.kubeconfig}")

    def _configure(self) -> None:
        layout = self.layout
        layout.create()
        pki.ensure_pki(layout.pki, NODE_NAME, NODE_IP, API_SERVICE_IP)
        for user, cert in (("admin", "admin"), ("controller-manager", "controller-manager"),
                           ("scheduler", "scheduler"), ("kube-proxy", "kube-proxy"), ("kubelet", "kubelet")):
            write_kubeconfig(layout, user, cert)
        write_containerd_config(layout)
        write_cni_config(layout)
        write_kubelet_config(layout)
        write_kube_proxy_config(layout)
        host.prepare_kernel()
        host.create_bridge()
        host.allow_pod_forwarding()

    def _argv(self, name: str, kube) -> list:
        layout, p, c = self.layout, self.layout.pki, self.layout.config
        auth = lambda user: [f"--kubeconfig={c / f'{user}.kubeconfig'}",  # noqa: E731
                             f"--authentication-kubeconfig={c / f'{user}.kubeconfig'}",
                             f"--authorization-kubeconfig={c / f'{user}.kubeconfig'}"]
        return {
            "containerd": ["containerd", "--config", c / "containerd.toml"],
            "etcd": ["etcd", "--name", "todo", "--data-dir", layout.state / "etcd",
                     "--listen-client-urls", "http://127.0.0.1:2379",
                     "--advertise-client-urls", "http://127.0.0.1:2379",
                     "--listen-peer-urls", "http://127.0.0.1:2380",
                     "--initial-advertise-peer-urls", "http://127.0.0.1:2380",
                     "--initial-cluster", "todo=http://127.0.0.1:2380", "--log-level", "warn"],
            "kube-apiserver": [
                kube, "kube-apiserver", f"--advertise-address={NODE_IP}", f"--secure-port={API_PORT}",
                "--etcd-servers=http://127.0.0.1:2379", f"--service-cluster-ip-range={SERVICE_CIDR}",
                f"--client-ca-file={p / 'ca.crt'}", f"--tls-cert-file={p / 'apiserver.crt'}",
                f"--tls-private-key-file={p / 'apiserver.key'}",
                f"--kubelet-client-certificate={p / 'apiserver-kubelet-client.crt'}",
                f"--kubelet-client-key={p / 'apiserver-kubelet-client.key'}",
                f"--kubelet-certificate-authority={p / 'ca.crt'}",
                "--kubelet-preferred-address-types=InternalIP",
                "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
                f"--service-account-key-file={p / 'sa.pub'}",
                f"--service-account-signing-key-file={p / 'sa.key'}",
                "--authorization-mode=Node,RBAC", "--enable-admission-plugins=NodeRestriction",
                "--allow-privileged=true", "--profiling=false"],
            "kube-controller-manager": [
                kube, "kube-controller-manager", *auth("controller-manager"), "--bind-address=127.0.0.1",
                "--leader-elect=false", f"--cluster-signing-cert-file={p / 'ca.crt'}",
                f"--cluster-signing-key-file={p / 'ca.key'}", f"--root-ca-file={p / 'ca.crt'}",
                f"--service-account-private-key-file={p / 'sa.key'}", "--use-service-account-credentials=true",
                "--allocate-node-cidrs=true", f"--cluster-cidr={POD_CIDR}",
                f"--node-cidr-mask-size={NODE_POD_CIDR.split('/')[1]}",
                f"--service-cluster-ip-range={SERVICE_CIDR}", "--profiling=false"],
            "kube-scheduler": [kube, "kube-scheduler", *auth("scheduler"), "--bind-address=127.0.0.1",
                               "--leader-elect=false", "--profiling=false"],
            "kubelet": [kube, "kubelet", f"--config={c / 'kubelet.yaml'}",
                        f"--kubeconfig={c / 'kubelet.kubeconfig'}", f"--node-ip={NODE_IP}",
                        f"--hostname-override={NODE_NAME}", f"--root-dir={layout.state / 'kubelet'}"],
            "kube-proxy": [kube, "kube-proxy", f"--config={c / 'kube-proxy.yaml'}"],
        }[name]

    def _start_daemon(self, name: str, kube) -> None:
        logger.info(f"starting {name} ...")
        daemons.start(name, self._argv(name, kube), self.layout.pidfile(name))
        ready = {
            "containerd": lambda: self.layout.containerd_socket.exists(),
            "etcd": lambda: requests.get("http://127.0.0.1:2379/health", timeout=2).json()["health"] == "true",
            "kube-apiserver": lambda: requests.get(f"https://127.0.0.1:{API_PORT}/readyz", timeout=2,
                                                   verify=str(self.layout.pki / "ca.crt")).ok,
        }.get(name, lambda: True)
        self._wait(ready, f"{name} ready", 120, name)

    def _wait(self, condition, what: str, timeout: float, daemon: str) -> None:
        try:
            wait_until(condition, what=what, timeout=timeout, interval=0.5)
        except WaitTimeout as exc:
            tail = daemons.log_tail(daemon, 5)
            raise ClusterUnavailable(f"{exc}; last lines of {daemon}.log:\n{tail}") from None
        pidfile = self.layout.pidfile(daemon)
        if daemon in DAEMONS and not daemons.pid_of(pidfile):
            raise ClusterUnavailable(f"{daemon} exited at start:\n{daemons.log_tail(daemon, 10)}")

    def _wait_node_ready(self) -> None:
        jsonpath = '{.status.conditions[?(@.type=="Ready")].status}'
        self._wait(lambda: self.kubectl()("get", "node", NODE_NAME, "-o", f"jsonpath={jsonpath}",
                                          check=False).stdout == "True",
                   f"node {NODE_NAME} Ready", 180, "kubelet")

    # ---- images --------------------------------------------------------------------------

    def load_images(self, names):
        images.import_images(list(names), self.layout.containerd_socket, self.layout.state / "imported.json")

    # ---- stop ----------------------------------------------------------------------------

    def stop(self) -> None:
        """Remove every pod (so the kubelet tears down their networks and mounts), stop the
        daemons, then remove what is left of ours: mounts, the bridge, iptables chains."""
        if daemons.pid_of(self.layout.pidfile("kubelet")) and self.reachable():
            logger.info("deleting workloads so the kubelet releases pod networks and volumes ...")
            kubectl = self.kubectl()
            kubectl("delete", "deploy,statefulset,daemonset,job,replicaset", "--all", "--all-namespaces",
                    "--wait=false", check=False)
            kubectl("delete", "pods", "--all", "--all-namespaces", "--grace-period=1", "--wait=true",
                    "--timeout=60s", check=False, timeout=90)
        for name in reversed(DAEMONS):
            if name == "containerd":
                self._kill_remaining_containers()
            daemons.stop(self.layout.pidfile(name))
        self._clear_leftovers()
        logger.info("local cluster stopped")

    def _clear_leftovers(self) -> None:
        host.unmount_all(self.layout.run, self.layout.state)
        host.delete_pod_netns()
        host.delete_bridge()
        host.remove_cluster_chains()

    def _kill_remaining_containers(self) -> None:
        """Tasks the kubelet did not stop (it was killed or hung): kill them via containerd,
        which also ends their shims."""
        if not daemons.pid_of(self.layout.pidfile("containerd")):
            return
        ctr = ["ctr", "--address", str(self.layout.containerd_socket), "-n", "k8s.io"]
        tasks = run([*ctr, "tasks", "ls", "-q"], check=False).stdout.split()
        for task in tasks:
            run([*ctr, "tasks", "kill", "-s", "SIGKILL", task], check=False)
        for task in tasks:
            run([*ctr, "tasks", "delete", "-f", task], check=False)
