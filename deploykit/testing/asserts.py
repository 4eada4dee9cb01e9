"""Assert helpers: the one place, with the fixtures, where deploykit's findings and errors become
pytest failures. Each hides its own frame, so a failure shows the test's line and the message."""

import contextlib

import pytest

from deploykit.foundation.errors import ContainerFailed, DeploykitError


def assert_no_findings(findings: list, what: str) -> None:
    """Fail listing every finding (each says what is wrong and what was measured)."""
    __tracebackhide__ = True
    if findings:
        listed = "\n".join(f"  - {finding}" for finding in findings)
        pytest.fail(f"{what}: {len(findings)} problem(s)\n{listed}", pytrace=False)


def assert_within(value: float, limit: float, what: str, unit: str, context: str = "") -> None:
    """Fail when value is not under limit, printing both (and context: logs, a command)."""
    __tracebackhide__ = True
    if not value < limit:
        pytest.fail(f"{what}: {value:.2f} {unit}, over the limit of {limit:g} {unit}"
                    + (f"\n{context}" if context else ""), pytrace=False)


def assert_graceful(outcome, what: str) -> None:
    """Fail with every problem of a containers.StopOutcome and the container's last log lines."""
    __tracebackhide__ = True
    if outcome.problems:
        pytest.fail(f"{what}:\n{outcome.describe()}", pytrace=False)


def assert_status(response, expected: int, *watched) -> None:
    """Fail when an HTTP response is not `expected`, with the body and the watched containers' logs."""
    __tracebackhide__ = True
    if response.status_code != expected:
        logs = "".join(f"\n--- {container.describe()}, last log lines ---\n{container.last_log_lines()}"
                       for container in watched)
        pytest.fail(f"{response.request.method} {response.url} answered {response.status_code}, expected "
                    f"{expected}: {response.text[:300]}{logs}", pytrace=False)


@contextlib.contextmanager
def failing_on_container_errors():
    """Turn ContainerFailed (a container that exited, never became healthy...) into a failure
    whose message carries the container's last log lines; for fixtures and tests alike."""
    __tracebackhide__ = True
    try:
        yield
    except ContainerFailed as exc:
        pytest.fail(str(exc), pytrace=False)


@contextlib.contextmanager
def failing_on_cluster_errors(what: str):
    """Turn a deploykit error raised while acting on the cluster (a helm verb, a rollout that does
    not settle, the load generator) into a failure naming what was being done; the cluster
    layer's conftest adds the namespace's pods, events and logs to the report."""
    __tracebackhide__ = True
    try:
        yield
    except DeploykitError as exc:
        pytest.fail(f"{what}: {exc}", pytrace=False)
