"""Whether this pod can open a TCP connection to each destination: the script a connection probe
pod runs (from a ConfigMap, with the backend image's Python, standard library only). deploykit
never imports it; connectprobe.py ships it and reads its output.

DESTINATIONS is "name=host:port ..."; the host `nameserver` stands for the first nameserver of
/etc/resolv.conf, the DNS server the pod really uses (its address differs between clusters). Every
destination is tried at once, each up to ATTEMPTS times: a refused or timed-out connection is
retried, since a policy engine may learn of a new pod a moment after it starts. One JSON line per
destination: destination, address, connected, error (the last failure) and attempts.
"""

import json
import os
import socket
import sys
import threading
import time

DESTINATIONS = dict(entry.split("=", 1) for entry in os.environ["DESTINATIONS"].split())
TIMEOUT_S = float(os.environ.get("TIMEOUT_S", "2"))
ATTEMPTS = int(os.environ.get("ATTEMPTS", "3"))
PAUSE_S = 0.5


def nameserver() -> str:
    with open("/etc/resolv.conf") as resolv:
        return next(line.split()[1] for line in resolv if line.startswith("nameserver"))


def try_connect(name: str, address: str, results: dict) -> None:
    host, port = address.rsplit(":", 1)
    host = nameserver() if host == "nameserver" else host
    error = None
    for attempt in range(1, ATTEMPTS + 1):
        try:
            socket.create_connection((host, int(port)), timeout=TIMEOUT_S).close()
            results[name] = {"destination": name, "address": f"{host}:{port}", "connected": True, "error": None,
                             "attempts": attempt}
            return
        except OSError as failure:
            error = f"{type(failure).__name__}: {failure}"[:200]
            time.sleep(PAUSE_S)
    results[name] = {"destination": name, "address": f"{host}:{port}", "connected": False, "error": error,
                     "attempts": ATTEMPTS}


def main() -> None:
    results: dict = {}
    threads = [threading.Thread(target=try_connect, args=(name, address, results))
               for name, address in DESTINATIONS.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for name in DESTINATIONS:
        sys.stdout.write(json.dumps(results[name], separators=(",", ":")) + "\n")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
