"""Steady HTTP traffic from inside the cluster: the script the load generator pod runs (from a
ConfigMap, with the backend image's Python and httpx). deploykit never imports it; traffic.py
ships it and reads its output.

Open loop at a fixed rate: request i starts at i / RATE seconds whatever earlier ones are doing,
so a stalled server shows up as failures and gaps instead of silently slowing the client down.
Requests take turns over TARGETS. Every request opens a fresh connection, as a new visitor
would, so each one is routed by the Service to an endpoint that is ready at that moment.

Each target's host name is resolved once, before the clock starts, and every request connects to
that address with the name in its Host header: a Service's ClusterIP stays the same through a
rollout, and a drain or an upgrade leaves the cluster's DNS alone, so a lookup lost on a busy
node (a 5 s resolver timeout, which httpx reports as ConnectTimeout) would measure the test
bench, not the release. kube-proxy still routes each new connection to a ready endpoint.

Before the clock starts, every target must answer once (WARM_UP_SECONDS at most): a NetworkPolicy
agent drops a new pod's first connections until it has learnt the pod's address (kubernetes
issue 85966; kube-network-policies on kind, seen here as 1 s SYN retries for the first second),
which says something about this client pod, not about the release under test.

The edge's tests run the same script on the host against a forward to the gateway, with
CA_FILE (trust only that CA), SERVER_NAME (the TLS server name and Host header every request
carries) and KEEP_ALIVE=1 (a browser's reused connections, which also spare the forward a new
stream per request); each request is still routed anew by the gateway.

Each result is one JSON line on stdout: t (seconds since start, when the answer came), target,
status (0 when no HTTP answer came), latency_ms, version (from a JSON body's "version") and
error. The run ends after MAX_SECONDS, or as soon as the file STOP_FILE exists.
"""

import asyncio
import ipaddress
import json
import os
import socket
import ssl
import sys
import time

import httpx

TARGETS = os.environ["TARGETS"].split()
RATE = float(os.environ.get("RATE", "50"))
MAX_SECONDS = float(os.environ.get("MAX_SECONDS", "180"))
TIMEOUT_S = float(os.environ.get("TIMEOUT_S", "5"))
STOP_FILE = os.environ.get("STOP_FILE", "/tmp/stop")
WARM_UP_SECONDS = float(os.environ.get("WARM_UP_SECONDS", "30"))
CA_FILE = os.environ.get("CA_FILE")
SERVER_NAME = os.environ.get("SERVER_NAME")
KEEP_ALIVE = os.environ.get("KEEP_ALIVE") == "1"
# More in flight than this means the server has stopped answering; later requests count as
# failures without being sent, so memory and sockets stay bounded.
MAX_IN_FLIGHT = int(os.environ.get("MAX_IN_FLIGHT", "500"))


# httpx's sni_hostname extension: connect to the URL's address, present and verify SERVER_NAME.
HEADERS = {"Host": SERVER_NAME} if SERVER_NAME else {}
EXTENSIONS = {"sni_hostname": SERVER_NAME} if SERVER_NAME else {}


# target -> (the URL each request fetches, its headers): see pin().
ROUTES = {target: (target, HEADERS) for target in TARGETS}


async def pin(target: str) -> None:
    """Resolve target's host once (raises socket.gaierror while DNS does not answer); a target
    whose host is an address (the edge's forward) stays as it is."""
    url = httpx.URL(target)
    try:
        ipaddress.ip_address(url.host)
        return
    except ValueError:
        pass
    answers = await asyncio.get_running_loop().getaddrinfo(url.host, url.port or 80, type=socket.SOCK_STREAM)
    ROUTES[target] = (str(url.copy_with(host=answers[0][4][0])), {**HEADERS, "Host": url.netloc.decode()})


def emit(record: dict) -> None:
    sys.stdout.write(json.dumps(record, separators=(",", ":")) + "\n")


async def one_request(client: httpx.AsyncClient, target: str, started: float) -> None:
    sent = time.monotonic()
    record = {"target": target, "status": 0, "version": None, "error": None}
    url, headers = ROUTES[target]
    try:
        response = await client.get(url, headers=headers, extensions=EXTENSIONS)
        record["status"] = response.status_code
        if response.headers.get("content-type", "").startswith("application/json"):
            body = response.json()
            record["version"] = body.get("version") if isinstance(body, dict) else None
    except httpx.HTTPError as error:
        record["error"] = f"{type(error).__name__}: {error}"[:200]
    done = time.monotonic()
    emit({"t": round(done - started, 4), "latency_ms": round((done - sent) * 1000, 2), **record})


async def warm_up(client: httpx.AsyncClient) -> None:
    """Until each target is pinned and has answered once, or WARM_UP_SECONDS have passed (then
    the measured requests show the failure)."""
    waiting, deadline = set(TARGETS), time.monotonic() + WARM_UP_SECONDS
    while waiting and time.monotonic() < deadline:
        for target in sorted(waiting):
            try:
                await pin(target)
                url, headers = ROUTES[target]
                await client.get(url, timeout=1, headers=headers, extensions=EXTENSIONS)
                waiting.discard(target)
            except (httpx.HTTPError, socket.gaierror):
                await asyncio.sleep(0.1)
    emit({"event": "warmed-up", "waiting": sorted(waiting), "routes": {t: url for t, (url, _) in ROUTES.items()}})


async def main() -> None:
    # No keep-alive unless asked: one connection per request (see the module docstring).
    limits = httpx.Limits(max_keepalive_connections=None if KEEP_ALIVE else 0, max_connections=MAX_IN_FLIGHT)
    verify = ssl.create_default_context(cafile=CA_FILE) if CA_FILE else True
    async with httpx.AsyncClient(timeout=TIMEOUT_S, limits=limits, verify=verify) as client:
        await warm_up(client)
        started = time.monotonic()
        tasks: set[asyncio.Task] = set()
        emit({"event": "start", "rate": RATE, "targets": TARGETS})
        for i in range(int(RATE * MAX_SECONDS)):
            await asyncio.sleep(max(0.0, started + i / RATE - time.monotonic()))
            if os.path.exists(STOP_FILE):
                break
            target = TARGETS[i % len(TARGETS)]
            if len(tasks) >= MAX_IN_FLIGHT:
                emit({"t": round(time.monotonic() - started, 4), "target": target, "status": 0, "latency_ms": 0,
                      "version": None, "error": "not sent: too many requests in flight"})
                continue
            task = asyncio.create_task(one_request(client, target, started))
            tasks.add(task)
            task.add_done_callback(tasks.discard)
        await asyncio.gather(*tasks)
        emit({"event": "end", "t": round(time.monotonic() - started, 4)})
    sys.stdout.flush()


if __name__ == "__main__":
    asyncio.run(main())
