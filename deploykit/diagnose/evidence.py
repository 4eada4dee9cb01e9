"""What a person needs to see when a cluster test fails: the namespace's pods, its recent
events, and the last log lines of every pod that is not healthy (not Ready, restarted, or
failed), including the previous container's when it restarted. Never raises: it runs while
something is already wrong."""

from deploykit.clusters import workloads
from deploykit.tools.kubectl import Kubectl

EVENTS = 25
LOG_LINES = 30
_TIMEOUT_S = 20


def _section(title: str, text: str) -> str:
    return f"--- {title} ---\n{text.rstrip() or '(nothing)'}\n"


def _output(kubectl: Kubectl, *args) -> str:
    result = kubectl(*args, check=False, timeout=_TIMEOUT_S)
    return result.stdout if result.succeeded else f"({result.stderr.strip()[-300:]})"


def unhealthy(pod: dict) -> bool:
    phase = pod.get("status", {}).get("phase")
    if phase == "Succeeded":
        return False
    return phase != "Running" or not workloads.is_ready(pod) or workloads.restart_count(pod) > 0


def describe(kubectl: Kubectl, namespace: str) -> str:
    """Pods, recent events and the unhealthy pods' last log lines, as one block of text."""
    try:
        parts = [_section(f"pods in {namespace}", _output(kubectl, "get", "pods", "-n", namespace, "-o", "wide"))]
        events = _output(kubectl, "get", "events", "-n", namespace, "--sort-by=.lastTimestamp").splitlines()
        parts.append(_section(f"last {EVENTS} events", "\n".join(events[:1] + events[1:][-EVENTS:])))
        for pod in kubectl.get_json("pods", "-n", namespace)["items"]:
            if not unhealthy(pod):
                continue
            name = pod["metadata"]["name"]
            parts.append(_section(f"{name}: last {LOG_LINES} log lines",
                                  _output(kubectl, "logs", name, "-n", namespace, "--all-containers",
                                          f"--tail={LOG_LINES}")))
            if workloads.restart_count(pod):
                parts.append(_section(f"{name}: previous container, last {LOG_LINES} log lines",
                                      _output(kubectl, "logs", name, "-n", namespace, "--all-containers",
                                              "--previous", f"--tail={LOG_LINES}")))
        return "\n".join(parts)
    except Exception as error:  # noqa: BLE001 - a diagnosis must not hide the failure it explains
        return f"(diagnostics unavailable: {error})"
