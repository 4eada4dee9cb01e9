"""Background daemons without systemd: started with a log file and a pid file, stopped by pid."""

import os
import signal
import subprocess
import time
from pathlib import Path

from deploykit.foundation.paths import log_dir


def alive(pid: int) -> bool:
    """True for a running process; a zombie (dead, not yet reaped by us) counts as gone."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, IndexError):
        return False
    return state != "Z"


def _command_of(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")[0].decode(errors="replace")
    except FileNotFoundError:
        return ""


def pid_of(pidfile: Path) -> int | None:
    """The live process recorded in pidfile, or None (a stale file is removed).

    The file holds the pid and the command it ran: after a crash or a reboot the pid may
    belong to an unrelated process, which must not be mistaken for the daemon. (A file with
    a pid only, as older runs wrote, is trusted.)
    """
    try:
        pid_text, _, command = pidfile.read_text().partition("\n")
        pid = int(pid_text)
    except (FileNotFoundError, ValueError):
        return None
    if alive(pid) and command.strip() in ("", _command_of(pid)):
        return pid
    pidfile.unlink(missing_ok=True)
    return None


def start(name: str, argv: list, pidfile: Path) -> Path:
    """Start argv in its own session unless already running; return its log path."""
    log = log_dir() / f"{name}.log"
    if pid_of(pidfile):
        return log
    with open(log, "ab") as out:
        out.write(f"\n--- {time.strftime('%Y-%m-%dT%H:%M:%S')} starting {' '.join(map(str, argv))}\n".encode())
        out.flush()
        proc = subprocess.Popen([str(a) for a in argv], stdout=out, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True)
    pidfile.write_text(f"{proc.pid}\n{argv[0]}\n")
    return log


def stop(pidfile: Path, timeout: float = 20) -> None:
    """SIGTERM, then SIGKILL after timeout; waits until the process is gone."""
    pid = pid_of(pidfile)
    if pid is None:
        return
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while alive(pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    if alive(pid):
        os.kill(pid, signal.SIGKILL)
    pidfile.unlink(missing_ok=True)
