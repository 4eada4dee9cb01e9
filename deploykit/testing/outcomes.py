"""Results computed once per session and read by many tests: a failure is reported once.

A session fixture that computes what many tests read (every variant of the chart rendered, say)
must not hand each reader the exception it raised. Re-raising one exception object appends each
raise's frames to its traceback, so a thousand readers print a thousand ever longer tracebacks: a
values file that did not render once kept the render layer going for 11 minutes at 620 MB
(issue 22). Here a failure is kept as text only. The one test that owns it fails with that text;
every other reader skips, naming the owning test, so the cause is read once and the run ends in
its usual time.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pytest


@dataclass(frozen=True)
class Failure:
    """What a shared computation raised, as text: `what` names the input a person would fix
    ("values-local.yaml"), `reported_by` the test id that fails with the message."""

    what: str
    message: str
    reported_by: str

    @classmethod
    def of(cls, error: BaseException, what: str, reported_by: str) -> "Failure":
        return cls(what, str(error), reported_by)


def first_failure(failures: Iterable["Failure | None"]) -> Failure | None:
    """The first failure of a chain of prerequisites, each resting on the ones before it."""
    return next((failure for failure in failures if failure is not None), None)


def report(failure: Failure | None, verb: str = "fails") -> None:
    """In the test that owns the failure: fail with its message, without a traceback (the message
    is the cause; the frames that computed it say nothing more)."""
    __tracebackhide__ = True
    if failure is not None:
        pytest.fail(f"{failure.what} {verb}:\n{failure.message}", pytrace=False)


def skip_if_failed(failure: Failure | None) -> None:
    """In every other reader: skip as dependent on the owning test, with a fresh one-line reason
    (identical reasons fold into one line of pytest's summary)."""
    __tracebackhide__ = True
    if failure is not None:
        pytest.skip(f"depends on {failure.what}, which fails: see {failure.reported_by}")


def report_last(chain: Sequence[Failure | None], verb: str = "fails") -> None:
    """In the test that owns the last link of a chain of prerequisites: skip when an earlier link
    fails (its own test reports it), fail when the last one does."""
    __tracebackhide__ = True
    skip_if_failed(first_failure(chain[:-1]))
    report(chain[-1] if chain else None, verb)
