"""deploykit's progress lines: one logger, a level the caller controls, nothing on stdout."""

import logging
import subprocess
import sys

from deploykit.foundation import log


def run_logging(level: str | None) -> subprocess.CompletedProcess:
    code = (
        "from deploykit.foundation import log; "
        "log.attach(); log.logger.info('progress'); log.logger.warning('trouble')"
    )
    env = {"PATH": "/usr/bin:/bin"} | ({"DEPLOYKIT_LOG_LEVEL": level} if level else {})
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)


def test_progress_goes_to_stderr_with_the_deploykit_prefix():
    done = run_logging(None)

    assert done.stdout == ""
    assert done.stderr.splitlines() == ["deploykit: progress", "deploykit: trouble"]


def test_a_caller_that_reads_the_output_can_silence_progress():
    assert run_logging("WARNING").stderr.splitlines() == ["deploykit: trouble"]


def test_an_unknown_level_name_falls_back_to_info(monkeypatch):
    monkeypatch.setenv("DEPLOYKIT_LOG_LEVEL", "chatty")

    assert log.level() == logging.INFO
