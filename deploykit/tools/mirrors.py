"""Where packages come from, as this host is configured: the Debian mirror and security mirror of
its apt sources, and its npm registry. deploykit names no registry of its own; a build or a root
filesystem gets the host's, and a DEPLOYKIT_DEBIAN_MIRROR / DEPLOYKIT_DEBIAN_SECURITY_MIRROR
overrides the apt ones."""

import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from deploykit.foundation.errors import ToolMissing
from deploykit.foundation.run import run

APT_SOURCES = (Path("/etc/apt/sources.list"), Path("/etc/apt/sources.list.d"))
_ONE_LINE = re.compile(r"^deb\s+(?:\[[^]]*\]\s+)?(\S+)\s+(\S+)")


@dataclass(frozen=True)
class DebianMirrors:
    archive: str  # e.g. <mirror>/debian
    security: str  # e.g. <mirror>/debian-security


def _sources(paths: tuple[Path, ...]) -> list[tuple[str, str]]:
    """(URI, suite) of every enabled `deb` source, one-line or deb822."""
    files = [path for root in paths for path in ([root] if root.is_file() else sorted(root.glob("*")))
             if path.suffix in (".list", ".sources")]
    found = []
    for path in files:
        text = path.read_text()
        if path.suffix == ".list":
            found += [(m[1], m[2]) for line in text.splitlines() if (m := _ONE_LINE.match(line.strip()))]
            continue
        for stanza in re.split(r"\n\s*\n", text):
            fields = dict(re.findall(r"^(\w[\w-]*):\s*(.*)$", stanza, flags=re.M))
            if "deb" in fields.get("Types", "").split() and fields.get("Enabled", "yes") != "no":
                found += [(uri, suite) for uri in fields.get("URIs", "").split()
                          for suite in fields.get("Suites", "").split()]
    return found


def debian(paths: tuple[Path, ...] = APT_SOURCES) -> DebianMirrors:
    sources = _sources(paths)
    archive = os.environ.get("DEPLOYKIT_DEBIAN_MIRROR") or next(
        (uri for uri, suite in sources if not suite.endswith("-security")), None)
    security = os.environ.get("DEPLOYKIT_DEBIAN_SECURITY_MIRROR") or next(
        (uri for uri, suite in sources if suite.endswith("-security")), None)
    if not archive or not security:
        missing = "archive" if not archive else "security"
        raise ToolMissing(f"no Debian {missing} mirror in this host's apt sources ({', '.join(map(str, paths))}); "
                          f"set DEPLOYKIT_DEBIAN_{'SECURITY_' if missing == 'security' else ''}MIRROR")
    return DebianMirrors(archive.rstrip("/"), security.rstrip("/"))


def npm_registry() -> str | None:
    """The registry the host's npm is configured with (None without npm)."""
    npm = shutil.which("npm")
    if not npm:
        return None
    registry = run([npm, "config", "get", "registry"], check=False, timeout=60).stdout.strip()
    return registry or None
