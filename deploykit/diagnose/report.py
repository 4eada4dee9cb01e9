"""The diagnostics report of a release, for every day and for failed tests: what is wrong, named
(deploykit.diagnose.podcauses), then each container's last state and the failed probes, then the namespace's
pods, events and failing pods' log lines (deploykit.diagnose.evidence). Needs no AI, and never raises:
it runs while something is already wrong."""

from deploykit.diagnose import evidence, podcauses
from deploykit.foundation.constants import selector as release_selector
from deploykit.tools.kubectl import Kubectl


def _container_state(status: dict) -> str | None:
    """One line for a container that is not simply running since its start, else None."""
    state, last = status.get("state", {}), status.get("lastState", {}).get("terminated")
    restarts = status.get("restartCount", 0)
    if "running" in state and not restarts:
        return None
    if "waiting" in state:
        now = f"waiting ({state['waiting'].get('reason', 'unknown')})"
    elif "terminated" in state:
        ended = state["terminated"]
        now = f"terminated ({ended.get('reason', 'unknown')}, exit code {ended.get('exitCode')})"
    else:
        now = "running"
    previous = (f"; previous run ended {last.get('finishedAt', '?')}: {last.get('reason', 'unknown')}, "
                f"exit code {last.get('exitCode')}") if last else ""
    return f"{now}{previous}; {restarts} restart(s)"


def _section(title: str, lines: list[str], empty: str) -> str:
    return f"{title}\n" + "\n".join(f"  - {line}" for line in lines or [empty]) + "\n"


def render(namespace: str, subject: str | None, pods: list[dict], events: list[dict]) -> str:
    """The named causes, container states and probe failures of `pods` (of subject, e.g. "release
    todo", in namespace), as text."""
    scope = f"{subject} in namespace {namespace}" if subject else f"namespace {namespace}"
    failing = [p["metadata"]["name"] for p in pods if podcauses.failing(p)]
    causes = [str(c) for pod in pods for c in podcauses.pod_causes(pod, events)]
    states = [f"{pod['metadata']['name']} [{status['name']}]: {line}" for pod in pods
              for status in pod.get("status", {}).get("containerStatuses", [])
              if (line := _container_state(status))]
    probes = [str(f) for pod in pods for f in podcauses.probe_failures(pod, events)]
    headline = f"Diagnostics of {scope}: {len(pods)} pod(s), {len(failing)} failing"
    headline += f" ({', '.join(failing)})" if failing else ""
    return "\n".join([
        headline + "\n",
        _section("Likely causes", causes, "none: every pod is running and ready" if pods else "no pods found"),
        _section("Container states (restarted or not running)", states, "none"),
        _section("Failed probes (events of the last hour)", probes, "none"),
    ])


def report(kubectl: Kubectl, namespace: str, release: str | None = None, *, pod: str | None = None) -> str:
    """The whole report of a release, of one pod, or (neither given) of every pod in the namespace."""
    events_of = []
    if pod:
        selector, subject = ["--field-selector", f"metadata.name={pod}"], f"pod {pod}"
        events_of = ["--field-selector", f"involvedObject.name={pod}"]
    elif release:
        selector, subject = ["-l", release_selector(release)], f"release {release}"
    else:
        selector, subject = [], None
    try:
        pods = kubectl.get_json("pods", "-n", namespace, *selector)["items"]
        events = kubectl.get_json("events", "-n", namespace, *events_of)["items"]
        summary = render(namespace, subject, pods, events)
    except Exception as error:  # noqa: BLE001 - a diagnosis must not hide the failure it explains
        summary = f"(named causes unavailable: {error})\n"
    return f"{summary}\n{evidence.describe(kubectl, namespace)}"
