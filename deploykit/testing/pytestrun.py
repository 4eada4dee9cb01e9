"""pytest run as a subprocess, for tests about a layer as a whole: how long it takes, how much
memory it holds, and what each of its tests reported (from its JUnit XML)."""

import os
import signal
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from deploykit.tools.helm import concurrently

_POLL_S = 0.05


@dataclass(frozen=True)
class Case:
    """One test as the JUnit XML reports it: outcome is passed, failed, error or skipped; message
    is the failure's, error's or skip's text."""

    name: str
    outcome: str
    message: str = ""


@dataclass(frozen=True)
class PytestRun:
    seconds: float
    max_rss_mb: float  # the peak resident memory of pytest and the processes it waited for
    returncode: int | None  # None: killed at the timeout
    output: str
    cases: list[Case] = field(default_factory=list)

    def with_outcome(self, outcome: str) -> list[Case]:
        return [case for case in self.cases if case.outcome == outcome]

    def describe(self) -> str:
        counts = {o: len(self.with_outcome(o)) for o in ("passed", "failed", "error", "skipped")}
        ended = f"exit {self.returncode}" if self.returncode is not None else "killed at the timeout"
        return f"{self.seconds:.1f} s, {self.max_rss_mb:.0f} MB, {ended}, " + ", ".join(
            f"{n} {o}" for o, n in counts.items()
        )


def junit_cases(xml_text: str) -> list[Case]:
    cases = []
    for case in ElementTree.fromstring(xml_text).iter("testcase"):
        name = f"{case.get('classname', '')}::{case.get('name', '')}"
        outcome, message = "passed", ""
        for tag, meaning in (("failure", "failed"), ("error", "error"), ("skipped", "skipped")):
            element = case.find(tag)
            if element is not None:
                outcome = meaning
                message = "\n".join(text for text in (element.get("message"), element.text) if text)
                break
        cases.append(Case(name, outcome, message))
    return cases


def run_pytest(
    args: Sequence[str], *, cwd: Path, timeout: float, env: Mapping[str, str] | None = None
) -> PytestRun:
    """`python -m pytest args` in cwd (so cwd's packages come first on sys.path), with env added to
    this process's environment; killed with its children once timeout seconds have passed."""
    with tempfile.TemporaryDirectory(prefix="deploykit-pytest-") as tmp:
        junit, log = Path(tmp) / "report.xml", Path(tmp) / "output.txt"
        argv = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", f"--junitxml={junit}", *args]
        with log.open("wb") as sink:
            started = time.perf_counter()
            process = subprocess.Popen(
                argv, cwd=cwd, env={**os.environ, **(env or {})}, stdout=sink, stderr=subprocess.STDOUT,
                start_new_session=True,
            )
            returncode, usage = _wait(process, started + timeout)
            seconds = time.perf_counter() - started
        cases = junit_cases(junit.read_text()) if junit.exists() else []
        return PytestRun(seconds, usage.ru_maxrss / 1024, returncode, log.read_text(errors="replace"), cases)


def _wait(process: subprocess.Popen, deadline: float):
    """Reap the process with os.wait4, which also says how much memory it held at its peak."""
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            process.returncode = os.waitstatus_to_exitcode(status)
            return process.returncode, usage
        if time.perf_counter() > deadline:
            os.killpg(process.pid, signal.SIGKILL)
            _, _, usage = os.wait4(process.pid, 0)
            process.returncode = -signal.SIGKILL
            return None, usage
        time.sleep(_POLL_S)


def start_side_by_side(runs: Mapping[str, Callable[[], PytestRun]]) -> Future:
    """Start the runs side by side in the background, so they overlap what the caller does
    meanwhile; the future's result is each run (or what it raised) by key."""
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pytestrun")
    future = pool.submit(concurrently, runs, len(runs))
    pool.shutdown(wait=False)
    return future
