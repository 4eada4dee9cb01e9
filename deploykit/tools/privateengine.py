"""A Docker engine of its own beside the user's: its own data root, exec root, socket, bridge and
address pool, so nothing it builds or runs touches the user's images and containers.

It leaves iptables to us (--iptables=false): a second dockerd managing Docker's chains would
rewrite the first one's. We add exactly what its builds and containers need (NAT out of its
bridge, forwarding in and out of it) and take it away again in stop()."""

from pathlib import Path

from deploykit.foundation import limits
from deploykit.foundation.errors import EngineUnavailable
from deploykit.foundation.run import run
from deploykit.foundation.waits import WaitTimeout, wait_until
from deploykit.tools import apt, daemons, engine

BRIDGE = "todorehearse0"
# Addresses of this engine's own containers only: its bridge, and the networks it creates.
BRIDGE_ADDRESS = "10.213.0.1/24"
SUBNETS = ("10.213.0.0/24", "10.214.0.0/16")
ADDRESS_POOL = f"base={SUBNETS[1]},size=24"


def _rules() -> list[tuple[str, ...]]:
    """(table, chain, rule...) for each iptables rule the engine's traffic needs: NAT for what
    leaves its subnets (builds reach the package registries), forwarding to and from them, and
    frames that stay inside one bridge. The last is Docker's inter-container rule (icc), which a
    bridge named at network creation (kind's) cannot get by name; without it, with the host's
    FORWARD policy DROP and bridged frames passing through iptables, kind pods' traffic from one
    node to another (pod addresses, not the engine's) was dropped: no DNS off the control plane."""
    rules = []
    for subnet in SUBNETS:
        rules += [("nat", "POSTROUTING", "-s", subnet, "!", "-d", subnet, "-j", "MASQUERADE"),
                  ("filter", "FORWARD", "-s", subnet, "-j", "ACCEPT"),
                  ("filter", "FORWARD", "-d", subnet, "-j", "ACCEPT")]
    rules.append(("filter", "FORWARD", "-m", "physdev", "--physdev-is-bridged", "-j", "ACCEPT"))
    return rules


class PrivateEngine:
    def __init__(self, root: Path):
        self.root = root
        self.socket = root / "docker.sock"
        self.pidfile = root / "dockerd.pid"

    @property
    def url(self) -> str:
        return f"unix://{self.socket}"

    def argv(self) -> list[str]:
        return ["dockerd", f"--host={self.url}", f"--data-root={self.root / 'data'}",
                f"--exec-root={self.root / 'exec'}", f"--pidfile={self.root / 'docker.pid'}",
                f"--bridge={BRIDGE}", f"--default-address-pool={ADDRESS_POOL}", "--iptables=false",
                "--ip-masq=false"]

    def _client(self):
        return engine.client_or_none(self.url)

    def start(self) -> None:
        apt.ensure_packages("docker.io", "containerd", "runc", "iptables", "iproute2", why="a private Docker engine")
        self.root.mkdir(parents=True, exist_ok=True)
        if run(["ip", "link", "show", BRIDGE], check=False).returncode != 0:
            run(["ip", "link", "add", BRIDGE, "type", "bridge"])
            run(["ip", "addr", "add", BRIDGE_ADDRESS, "dev", BRIDGE])
        run(["ip", "link", "set", BRIDGE, "up"])
        run(["sysctl", "-q", "-w", "net.ipv4.ip_forward=1"])
        for table, chain, *rule in _rules():
            if run(["iptables", "-t", table, "-C", chain, *rule], check=False).returncode != 0:
                run(["iptables", "-t", table, "-I", chain, "1", *rule])
        log = daemons.start("private-dockerd", self.argv(), self.pidfile)
        try:
            wait_until(lambda: self._client() is not None, what="the private dockerd answering",
                       timeout=limits.ENGINE_START_TIMEOUT, interval=0.5)
        except WaitTimeout:
            raise EngineUnavailable(f"the private dockerd did not answer within {limits.ENGINE_START_TIMEOUT} s; "
                                    f"see {log}") from None

    def stop(self) -> None:
        """Its containers, the daemon, its rules and its bridge; its data root is the caller's."""
        client = self._client()
        if client:
            for container in client.containers.list(all=True):
                container.remove(force=True)
        daemons.stop(self.pidfile, timeout=30)
        for table, chain, *rule in _rules():
            run(["iptables", "-t", table, "-D", chain, *rule], check=False)
        run(["ip", "link", "delete", BRIDGE], check=False)
