"""Closed-loop load at a fixed concurrency, run inside the cluster by the backend image's Python
(from a ConfigMap, as traffic.py ships loadgen_pod.py). deploykit never imports it;
bench/throughput.py ships it and reads its output.

Closed loop: CONCURRENCY clients each send their next request as soon as the last one is
answered, over a kept-alive connection, so the figure is what the backend serves when it is the
bottleneck. The request is a real client's: an authenticated GET /api/tasks listing TASKS tasks,
which goes through the token check and a database query. A user and its tasks are created first.

Output: one JSON line per event on stdout. The last one, "done", carries the measured window
(wall clock, for the resource samples taken outside), every latency and the failures.
"""

import asyncio
import json
import os
import sys
import time
import uuid

import httpx

BASE_URL = os.environ["BASE_URL"]
CONCURRENCY = int(os.environ.get("CONCURRENCY", "8"))
DURATION_S = float(os.environ.get("DURATION_S", "20"))
WARMUP_S = float(os.environ.get("WARMUP_S", "3"))
TASKS = int(os.environ.get("TASKS", "5"))


def emit(record: dict) -> None:
    sys.stdout.write(json.dumps(record, separators=(",", ":")) + "\n")
    sys.stdout.flush()


async def authenticated(client: httpx.AsyncClient) -> dict:
    credentials = {"email": f"bench-{uuid.uuid4().hex[:12]}@example.com", "password": uuid.uuid4().hex}
    response = await client.post("/api/auth/signup", json=credentials)
    response.raise_for_status()
    headers = {"Authorization": f"Bearer {response.json()['access_token']}"}
    for number in range(TASKS):
        (await client.post("/api/tasks", json={"title": f"bench task {number}"}, headers=headers)).raise_for_status()
    return headers


async def worker(client, headers, window: dict, latencies: list, failures: list) -> None:
    while time.time() < window["end"]:
        sent = time.time()
        try:
            response = await client.get("/api/tasks", headers=headers)
            error = None if response.status_code == 200 else f"HTTP {response.status_code}"
        except httpx.HTTPError as exc:
            error = f"{type(exc).__name__}: {exc}"[:200]
        if sent >= window["start"]:  # the warm-up's requests are not counted
            if error:
                failures.append(error)
            else:
                latencies.append(round((time.time() - sent) * 1000, 2))


async def main() -> None:
    limits = httpx.Limits(max_connections=CONCURRENCY, max_keepalive_connections=CONCURRENCY)
    async with httpx.AsyncClient(base_url=BASE_URL, timeout=10, limits=limits) as client:
        headers = await authenticated(client)
        now = time.time()
        window = {"start": now + WARMUP_S, "end": now + WARMUP_S + DURATION_S}
        emit({"event": "start", "concurrency": CONCURRENCY, **window})
        latencies: list[float] = []
        failures: list[str] = []
        await asyncio.gather(*(worker(client, headers, window, latencies, failures) for _ in range(CONCURRENCY)))
    emit({"event": "done", "concurrency": CONCURRENCY, "start": window["start"], "end": window["end"],
          "latencies_ms": latencies, "failed": len(failures), "failure_sample": failures[:5]})


if __name__ == "__main__":
    asyncio.run(main())
