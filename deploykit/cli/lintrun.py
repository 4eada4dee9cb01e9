"""The lint layer (`tox -e lint`): ruff, the import-linter contracts, mypy and actionlint, each run
(a failing one does not hide the next) and recorded as one JUnit test case in
build/reports/junit-lint.xml, since none of them writes a JUnit file of its own that says just
passed or failed. A check whose tool cannot be had here (actionlint without Go) is skipped
naming what to install, and fails under CI."""

import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from deploykit.foundation import junit, paths
from deploykit.foundation.ci import in_ci
from deploykit.foundation.errors import ToolMissing
from deploykit.foundation.log import logger
from deploykit.tools import actionlint

REPORT = paths.REPO / "build" / "reports" / "junit-lint.xml"


def tool(name: str) -> str:
    """A console script of this environment (the venv or tox env that runs us), else PATH's."""
    beside = Path(sys.executable).parent / name
    return str(beside) if beside.exists() else (shutil.which(name) or name)


@dataclass(frozen=True)
class Check:
    name: str
    argv: Callable[[], list]  # called when the check runs: building the tool may raise ToolMissing


CHECKS = (
    Check("ruff", lambda: [tool("ruff"), "check", "deploykit", "tests", "backend", "conftest.py"]),
    Check("import-linter", lambda: [tool("lint-imports")]),
    Check("mypy", lambda: [tool("mypy")]),
    Check("actionlint", lambda: [actionlint.binary(), "-no-color", *actionlint.workflow_files()]),
)


def run_check(check: Check) -> junit.Case:
    logger.info(f"lint: {check.name}")
    started = time.monotonic()
    try:
        argv = [str(a) for a in check.argv()]
    except ToolMissing as exc:
        seconds = round(time.monotonic() - started, 3)
        print(f"{check.name}: {exc}", flush=True)
        return junit.Case(check.name, "lint", "failed" if in_ci() else "skipped",
                          f"{exc}" + (" (CI=true: a missing prerequisite fails the run)" if in_ci() else ""), seconds)
    proc = subprocess.run(argv, cwd=paths.REPO, capture_output=True, text=True)
    seconds = round(time.monotonic() - started, 3)
    output = proc.stdout + proc.stderr
    print(output, end="" if output.endswith("\n") or not output else "\n", flush=True)
    if proc.returncode == 0:
        return junit.Case(check.name, "lint", "passed", "", seconds, output)
    last = next((line for line in reversed(output.splitlines()) if line.strip()), "")
    return junit.Case(check.name, "lint", "failed", f"{check.name} exited {proc.returncode}: {last.strip()}",
                      seconds, output)


def run_checks(checks: tuple[Check, ...] = CHECKS, report: Path = REPORT) -> bool:
    """Every check, recorded in report; True when none failed."""
    cases = [run_check(check) for check in checks]
    junit.write(report, "lint", cases)
    for case in cases:
        print(f"{case.name:<14} {case.outcome:<8} {case.seconds:>6.1f} s  {case.message}".rstrip(), flush=True)
    return not any(case.outcome == "failed" for case in cases)
