"""The one place deploykit runs external commands: argv lists, never shell strings."""

import subprocess
from dataclasses import dataclass

from deploykit.foundation.errors import CommandFailed, ToolMissing


@dataclass(frozen=True)
class CommandResult:
    argv: list
    returncode: int
    stdout: str
    stderr: str

    @property
    def succeeded(self) -> bool:
        return self.returncode == 0


def run(argv, *, check=True, input=None, timeout=None, env=None, cwd=None) -> CommandResult:
    """Run argv, capture text output; raise CommandFailed on a non-zero exit when check is set."""
    argv = [str(a) for a in argv]
    try:
        proc = subprocess.run(
            argv, input=input, capture_output=True, text=True, timeout=timeout, env=env, cwd=cwd
        )
    except FileNotFoundError as exc:
        raise ToolMissing(f"{argv[0]} is not installed or not on PATH") from exc
    result = CommandResult(argv, proc.returncode, proc.stdout, proc.stderr)
    if check and not result.succeeded:
        raise CommandFailed(argv, proc.returncode, proc.stdout, proc.stderr)
    return result
