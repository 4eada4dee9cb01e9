"""Run a project image the way the chart runs it, and watch it: a hardened `docker run`, the time
from `docker run` to the first healthy answer, a graceful stop with a request in flight, and the
container's last log lines for every failure message.

Hardened means what the pod's securityContext means: read-only root filesystem with tmpfs mounts
for the chart's writable directories, every capability dropped, no privilege escalation, and the
chart's numeric UID:GID. Traffic goes to 127.0.0.1 only: ports are published on loopback.
"""

import contextlib
import threading
import time
import uuid
from dataclasses import dataclass, field

import docker
import requests

from deploykit.chart.runspec import RunSpec
from deploykit.foundation import limits
from deploykit.foundation.errors import ContainerFailed
from deploykit.foundation.waits import WaitTimeout, wait_until

STARTED_BY_LABEL = "org.todo-list-hackathon.started-by"
LOG_LINES = 40
HEALTH_POLL_S = 0.05  # the startup figure is only as precise as this interval
# Long enough for the request to reach the server before the stop signal follows it.
IN_FLIGHT_SETTLE_S = 1.0


def hardened_options(spec: RunSpec) -> dict:
    """docker SDK run() options equal to the chart's securityContext and writable emptyDirs."""
    return {
        "read_only": True,
        "tmpfs": dict.fromkeys(spec.writable_dirs, ""),
        "cap_drop": ["ALL"],
        "security_opt": ["no-new-privileges"],
        "user": spec.user,
    }


@dataclass
class RunningContainer:
    container: docker.models.containers.Container
    spec: RunSpec
    image: str
    started_at: float  # time.perf_counter() just before `docker run`

    @property
    def name(self) -> str:
        return self.container.name

    def url(self, path: str = "") -> str:
        """http://127.0.0.1:<published port><path>."""
        self.container.reload()
        bindings = self.container.attrs["NetworkSettings"]["Ports"].get(f"{self.spec.port}/tcp") or []
        if not bindings:
            raise ContainerFailed(f"{self.describe()}: port {self.spec.port} is not published")
        return f"http://127.0.0.1:{bindings[0]['HostPort']}{path}"

    def exit_code(self) -> int | None:
        """None while it runs."""
        self.container.reload()
        state = self.container.attrs["State"]
        return None if state["Running"] else state["ExitCode"]

    def last_log_lines(self, count: int = LOG_LINES) -> str:
        return self.container.logs(tail=count).decode(errors="replace").rstrip()

    def describe(self) -> str:
        return f"container {self.name} ({self.image})"

    def failure(self, problem: str) -> ContainerFailed:
        """An error naming the container and carrying its last log lines."""
        return ContainerFailed(f"{self.describe()}: {problem}\n--- last {LOG_LINES} log lines ---\n"
                               f"{self.last_log_lines() or '(no output)'}")


@contextlib.contextmanager
def user_network(client: docker.DockerClient, purpose: str):
    """A user-defined bridge network (its embedded DNS resolves container names), removed after."""
    network = client.networks.create(f"tlh-{purpose}-{uuid.uuid4().hex[:6]}", driver="bridge",
                                     labels={STARTED_BY_LABEL: "deploykit"})
    try:
        yield network.name
    finally:
        network.remove()


@contextlib.contextmanager
def running(client: docker.DockerClient, image: str, spec: RunSpec, *, environment: dict | None = None,
            network: str | None = None, **run_options):
    """Start image hardened as spec says, its port published on 127.0.0.1; yield a
    RunningContainer; remove it afterwards (also when `docker run` fails half-way)."""
    name = f"tlh-{spec.component}-{uuid.uuid4().hex[:6]}"
    started_at = time.perf_counter()
    try:
        container = client.containers.run(
            image, detach=True, name=name, environment=environment or {}, network=network,
            ports={f"{spec.port}/tcp": ("127.0.0.1", None)}, labels={STARTED_BY_LABEL: "deploykit"},
            **hardened_options(spec), **run_options,
        )
    except docker.errors.APIError as error:
        with contextlib.suppress(docker.errors.NotFound):  # created, then failed to start
            client.containers.get(name).remove(force=True)
        raise ContainerFailed(f"docker run {image} failed: {error.explanation or error}") from None
    try:
        yield RunningContainer(container, spec, image, started_at)
    finally:
        container.remove(force=True)


def address_on_network(running_container: RunningContainer) -> str:
    """http://<container name>:<port>: how other containers on its user-defined network reach it,
    as pods reach a Service by name."""
    return f"http://{running_container.name}:{running_container.spec.port}"


def wait_healthy(running_container: RunningContainer, timeout: float = limits.CONTAINER_HEALTHY_TIMEOUT) -> float:
    """Poll the health path until it answers 200; return seconds since `docker run`.

    Raises ContainerFailed, with the last log lines, if it exits first or the timeout passes.
    """
    url = running_container.url(running_container.spec.health_path)

    def healthy_or_exited():
        try:
            if requests.get(url, timeout=1).status_code == 200:
                return "healthy"
        except requests.RequestException:
            pass
        return "exited" if running_container.exit_code() is not None else None

    try:
        outcome = wait_until(healthy_or_exited, what=f"GET {url} answering 200", timeout=timeout,
                             interval=HEALTH_POLL_S)
    except WaitTimeout as timeout_error:
        raise running_container.failure(str(timeout_error)) from None
    seconds = time.perf_counter() - running_container.started_at
    if outcome == "exited":
        raise running_container.failure(f"exited {running_container.exit_code()} before it was healthy")
    return seconds


@dataclass
class StopOutcome:
    """What a stop signal did to a container that was answering a slow request."""

    timeout: float
    exit_code: int | None = None
    stop_seconds: float = 0.0
    request_status: int | None = None
    request_error: str = ""
    answered_after_signal: bool = False
    logs: str = field(default="", repr=False)

    @property
    def problems(self) -> list[str]:
        """Empty when the request finished with 200 after the signal and the container exited 0 in time."""
        found = []
        if self.request_status != 200:
            found.append(f"the in-flight request failed: {self.request_error or f'HTTP {self.request_status}'}")
        elif not self.answered_after_signal:
            found.append("the request was answered before the stop signal: nothing was in flight (lengthen it)")
        if self.exit_code != 0:
            killed = " (SIGKILL: it did not exit within the grace period)" if self.exit_code == 137 else ""
            found.append(f"the container exited {self.exit_code}{killed} after {self.stop_seconds:.1f} s; "
                         f"expected 0 within {self.timeout:g} s")
        return found

    def describe(self) -> str:
        return "\n".join(f"- {problem}" for problem in self.problems) + f"\n--- last log lines ---\n{self.logs}"


def stop_with_request_in_flight(running_container: RunningContainer, slow_url: str, *,
                                timeout: float = limits.GRACEFUL_STOP_TIMEOUT) -> StopOutcome:
    """Send GET slow_url, then `docker stop` (the image's STOPSIGNAL, SIGKILL after timeout) while
    it is in flight; report how the request and the container ended."""
    outcome = StopOutcome(timeout=timeout)
    answered = {}

    def send():
        try:
            outcome.request_status = requests.get(slow_url, timeout=timeout + 10).status_code
        except requests.RequestException as error:
            outcome.request_error = f"{type(error).__name__}: {error}"
        answered["at"] = time.perf_counter()

    request = threading.Thread(target=send, daemon=True)
    request.start()
    time.sleep(IN_FLIGHT_SETTLE_S)
    signalled_at = time.perf_counter()
    running_container.container.stop(timeout=int(timeout))
    outcome.stop_seconds = time.perf_counter() - signalled_at
    request.join(timeout + 10)
    outcome.answered_after_signal = answered.get("at", 0) > signalled_at
    outcome.exit_code = running_container.exit_code()
    outcome.logs = running_container.last_log_lines()
    return outcome


@dataclass
class AppPair:
    """Backend and frontend wired as the chart wires them, on one user-defined network."""

    network: str
    backend: RunningContainer
    frontend: RunningContainer

    @property
    def backend_url(self) -> str:
        """The frontend's BACKEND_URL."""
        return address_on_network(self.backend)


@contextlib.contextmanager
def app_pair(client: docker.DockerClient, images: dict, specs: dict, *, backend_environment: dict | None = None):
    """Start the backend, then the frontend pointed at it by name (nginx resolves BACKEND_URL once,
    at start, so the backend must exist first); both healthy, both published on 127.0.0.1."""
    with contextlib.ExitStack() as stack:
        network = stack.enter_context(user_network(client, "pair"))
        backend = stack.enter_context(running(client, images["backend"], specs["backend"],
                                              environment=backend_environment, network=network))
        wait_healthy(backend)
        frontend = stack.enter_context(running(client, images["frontend"], specs["frontend"],
                                               environment={"BACKEND_URL": address_on_network(backend)},
                                               network=network))
        wait_healthy(frontend)
        yield AppPair(network, backend, frontend)
