"""The go command, for what deploykit compiles from the Go module proxy (the kind node image's
binaries, actionlint): found on PATH or where the official tarball installs it, else one line
saying what to install. The proxy is whatever the host's Go configuration names."""

import json
import os
import shutil
import tempfile
import time
import zipfile
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


def version(command: str) -> str:
    """The Go version of command (go1.26.8), for cache keys: a new toolchain rebuilds."""
    return run([command, "env", "GOVERSION"]).stdout.strip()


def module_dir(module: str, version: str, why: str) -> Path:
    """A module's source, read-only in the module cache (`go mod download`, verified against the
    checksum database); ToolMissing naming `why` when the proxy does not serve it."""
    with tempfile.TemporaryDirectory() as outside_any_module:
        result = run([go(why), "mod", "download", "-json", f"{module}@{version}"], check=False, cwd=outside_any_module,
                     env={**os.environ, "GOFLAGS": "-modcacherw", "GOTOOLCHAIN": "local"}, timeout=900)
    try:
        return Path(json.loads(result.stdout)["Dir"])
    except (ValueError, KeyError):
        raise ToolMissing(f"{why}: go mod download {module}@{version} failed: {result.stderr.strip()[-300:]}") from None


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


def module_file(module: str, version: str, member: str, dest: Path, why: str) -> Path:
    """One file of a Go module's source (`go mod download`, which verifies the module against
    the checksum database) copied to dest, once: the caller keys dest by version. A module whose
    go.mod asks for a newer Go is still downloaded whole; go reports that, and it does not matter
    for reading a file of it."""
    if dest.exists():
        return dest
    command = go(why)
    with tempfile.TemporaryDirectory() as outside_any_module:
        env = {**os.environ, "GOFLAGS": "-modcacherw", "GOTOOLCHAIN": "local"}
        result = run(
            [command, "mod", "download", "-json", f"{module}@{version}"],
            check=False,
            env=env,
            cwd=outside_any_module,
            timeout=600,
        )
    try:
        downloaded = Path(json.loads(result.stdout)["Zip"])
    except (ValueError, KeyError):
        raise ToolMissing(f"{why}: go mod download {module}@{version} failed: {result.stderr.strip()[-300:]}") from None
    if not downloaded.exists():
        raise ToolMissing(f"{why}: go mod download {module}@{version} fetched nothing: {result.stdout.strip()[-300:]}")
    with zipfile.ZipFile(downloaded) as archive:
        content = archive.read(f"{module}@{version}/{member}")
    dest.parent.mkdir(parents=True, exist_ok=True)
    partial = dest.with_name(dest.name + ".part")
    partial.write_bytes(content)
    partial.rename(dest)
    return dest
