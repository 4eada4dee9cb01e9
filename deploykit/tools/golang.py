"""The go command, for what deploykit compiles from the Go module proxy (the local cluster's
binaries, actionlint): found on PATH or where the official tarball installs it, else one line
saying what to install. The proxy is whatever the host's Go configuration names."""

import os
import shutil
import time
from pathlib import Path

from deploykit.foundation.errors import ToolMissing
from deploykit.foundation.log import logger
from deploykit.foundation.run import run

MIN_VERSION = "1.24"


def go(why: str) -> str:
    """The go command; `why` names what needs it, for the one-line message when it is missing."""
    found = shutil.which("go") or shutil.which("go", path="/usr/local/go/bin")
    if not found:
        raise ToolMissing(f"{why} needs Go (>= {MIN_VERSION}); install golang from Debian or go.dev")
    return found


def install(package: str, version: str, dest_dir: Path, why: str) -> Path:
    """`go install package@version` into dest_dir (GOBIN), once: the binary is kept there, so the
    caller keys dest_dir by version. Returns the binary's path."""
    binary = dest_dir / package.rstrip("/").rsplit("/", 1)[-1]
    if binary.exists():
        return binary
    command = go(why)
    logger.info(f"building {package}@{version} with go install (cold: tens of seconds; cached after) ...")
    started = time.monotonic()
    partial = dest_dir.with_name(dest_dir.name + ".part")
    partial.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "GOBIN": str(partial), "GOFLAGS": "-modcacherw", "CGO_ENABLED": "0"}
    run([command, "install", "-trimpath", f"{package}@{version}"], env=env, timeout=1800)
    dest_dir.mkdir(parents=True, exist_ok=True)
    (partial / binary.name).rename(binary)
    partial.rmdir()
    logger.info(f"{binary.name} {version} built in {time.monotonic() - started:.0f} s -> {binary}")
    return binary
