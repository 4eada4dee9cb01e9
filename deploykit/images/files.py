"""What an image ships, read from its exported filesystem (so no shell is needed inside it): files
that must not ship, app files the app could rewrite, bytecode that is not the shipped source's,
and certificates of the host's extra CAs.

One pass over `docker export` keeps every path's tar header and only the few bytes the checks
read (bytecode headers), so scanning a 100 MB image takes seconds and little memory.
"""

import fnmatch
import re
import tarfile
import tempfile
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import PurePosixPath

import docker

from deploykit.foundation.findings import Finding
from deploykit.images.hostca import Marker

PYC_HEADER = 16  # magic, flags, then source mtime and size (or a source hash)
LISTED = 15  # offending paths named in one finding; the rest are counted
INTERPRETER = re.compile(r"^usr/(?:local/)?lib/python3\.(\d+)/os\.py$")


@dataclass(frozen=True)
class Entry:
    path: str  # relative to /, e.g. "app/main.py"
    kind: str  # "file", "dir", "link" or "other"
    uid: int
    gid: int
    mode: int
    size: int
    mtime: int


@dataclass
class ImageFiles:
    image: str
    entries: dict = field(default_factory=dict)  # path -> Entry
    pyc_headers: dict = field(default_factory=dict)  # path -> first PYC_HEADER bytes
    extra_ca_hits: list = field(default_factory=list)  # (path, Marker)

    def under(self, roots: tuple[str, ...]) -> list[Entry]:
        return [entry for path, entry in self.entries.items() if any(_within(path, root) for root in roots)]


def _within(path: str, root: str) -> bool:
    root = root.strip("/")
    return path == root or path.startswith(f"{root}/")


def _relative(name: str) -> str:
    """A tar member name as a path relative to /: "./app/" -> "app", "." -> ""."""
    name = name.removeprefix("./").strip("/")
    return "" if name == "." else name


def _kind(member: tarfile.TarInfo) -> str:
    if member.isreg():
        return "file"
    if member.isdir():
        return "dir"
    return "link" if member.issym() or member.islnk() else "other"


def scan(client: docker.DockerClient, image: str, markers: list[Marker]) -> ImageFiles:
    """Export a (never started) container of image and read its filesystem once."""
    files = ImageFiles(image)
    with exported(client, image) as tar:
        for member in tar:
            path = _relative(member.name)
            entry = Entry(path, _kind(member), member.uid, member.gid, member.mode, member.size, int(member.mtime))
            files.entries[path] = entry
            if entry.kind == "file":
                data = tar.extractfile(member).read()
                if path.endswith(".pyc"):
                    files.pyc_headers[path] = data[:PYC_HEADER]
                files.extra_ca_hits += [(path, marker) for marker in markers if marker.found_in(data)]
    return files


@contextmanager
def exported(client: docker.DockerClient, image: str):
    """The filesystem of a (never started) container of image, as a tar read in one pass."""
    container = client.containers.create(image)
    try:
        with tempfile.TemporaryFile() as export:
            for chunk in container.export():
                export.write(chunk)
            export.seek(0)
            with tarfile.open(fileobj=export, mode="r|") as tar:
                yield tar
    finally:
        container.remove(force=True)


@dataclass(frozen=True)
class Forbidden:
    what: str  # why it must not ship, as a person would say it
    matches: Callable[[str], bool]


def named(*patterns: str) -> Callable[[str], bool]:
    """The path's last part matches one of the glob patterns."""
    return lambda path: any(fnmatch.fnmatch(PurePosixPath(path).name, pattern) for pattern in patterns)


def inside(*names: str) -> Callable[[str], bool]:
    """The path is, or is under, a directory with one of these names."""
    return lambda path: any(part in names for part in PurePosixPath(path).parts)


def in_bin(*patterns: str) -> Callable[[str], bool]:
    """An executable directory (bin, sbin) holds a file named like one of the patterns."""
    return lambda path: PurePosixPath(path).parent.name in ("bin", "sbin") and named(*patterns)(path)


def python_package(*names: str) -> Callable[[str], bool]:
    """The path is, or is under, one of these packages in a site-packages or dist-packages."""
    def matches(path: str) -> bool:
        parts = PurePosixPath(path).parts
        return any(part in ("site-packages", "dist-packages") and parts[i + 1] in names
                   for i, part in enumerate(parts[:-1]))
    return matches


def any_of(*matchers: Callable[[str], bool]) -> Callable[[str], bool]:
    return lambda path: any(matches(path) for matches in matchers)


def within(roots: tuple[str, ...], matches: Callable[[str], bool], *, outside: tuple[str, ...] = ()):
    """matches, restricted to paths under roots and not under outside."""
    return lambda path: (any(_within(path, r) for r in roots) and not any(_within(path, o) for o in outside)
                         and matches(path))


def _listed(paths: list[str]) -> str:
    shown = ", ".join(f"/{path}" for path in sorted(paths)[:LISTED])
    return shown + (f" and {len(paths) - LISTED} more" if len(paths) > LISTED else "")


def forbidden_findings(files: ImageFiles, rules: tuple[Forbidden, ...]) -> list[Finding]:
    """One finding per rule that some path breaks, naming the offending paths."""
    findings = []
    for rule in rules:
        offending = {path for path in files.entries if path and rule.matches(path)}
        # A matching directory's contents match too; naming the directory says it all.
        tops = [path for path in offending
                if not any(str(parent) in offending for parent in PurePosixPath(path).parents)]
        if tops:
            findings.append(Finding(files.image, "must-not-ship", f"ships {rule.what}: {_listed(tops)}"))
    return findings


def ownership_findings(files: ImageFiles, roots: tuple[str, ...], uid: int, gid: int) -> list[Finding]:
    """Under roots, everything is root's and not writable by the app's UID or GID, so a compromised
    app cannot rewrite its own code (even where the root filesystem is not read-only)."""
    not_root, writable = [], []
    for entry in files.under(roots):
        if entry.kind == "link":  # a symlink's own mode means nothing
            continue
        if entry.uid != 0:
            not_root.append(f"{entry.path} (UID {entry.uid})")
        if entry.uid == uid or entry.mode & 0o002 or (entry.mode & 0o020 and entry.gid == gid):
            writable.append(f"{entry.path} (mode {entry.mode & 0o7777:o}, owner {entry.uid}:{entry.gid})")
    findings = []
    if not_root:
        findings.append(Finding(files.image, "ownership", f"not owned by root: {_listed(not_root)}"))
    if writable:
        findings.append(Finding(files.image, "ownership", f"writable by the app's UID {uid}: {_listed(writable)}"))
    return findings


def interpreter_tags(files: ImageFiles) -> set[str]:
    """Bytecode tags of the Pythons installed in the image, e.g. {"cpython-313"}."""
    return {f"cpython-3{m.group(1)}" for path in files.entries if (m := INTERPRETER.match(path))}


def bytecode_findings(files: ImageFiles, roots: tuple[str, ...]) -> list[Finding]:
    """Bytecode under roots is the image's own: compiled in the image from the source beside it.

    Precompiled bytecode is welcome (a read-only root filesystem cannot cache it at run time). A
    __pycache__ copied from a developer's tree is not, and shows as bytecode without its source,
    for another interpreter, or recorded against a different source (timestamp-based .pyc files
    record the source's mtime and size; hash-based ones are trusted if their source is there).
    """
    tags, problems = interpreter_tags(files), []
    for path, header in files.pyc_headers.items():
        if not any(_within(path, root) for root in roots):
            continue
        pyc = PurePosixPath(path)
        stem, _, tag = pyc.stem.partition(".")
        source = (pyc.parent.parent if pyc.parent.name == "__pycache__" else pyc.parent) / f"{stem}.py"
        entry = files.entries.get(str(source))
        if entry is None:
            problems.append(f"{path} (no {source.name} beside it)")
        elif tag and tag not in tags:
            problems.append(f"{path} (for {tag}; the image runs {', '.join(sorted(tags)) or 'no Python'})")
        elif len(header) == PYC_HEADER and int.from_bytes(header[4:8], "little") & 1 == 0:
            recorded = (int.from_bytes(header[8:12], "little"), int.from_bytes(header[12:16], "little"))
            if recorded != (entry.mtime & 0xFFFFFFFF, entry.size & 0xFFFFFFFF):
                problems.append(f"{path} (compiled from another version of {source.name})")
    if not problems:
        return []
    return [Finding(files.image, "bytecode", f"ships bytecode that is not its source's: {_listed(problems)}")]


def extra_ca_findings(files: ImageFiles) -> list[Finding]:
    """No file holds a certificate of the host's extra CAs (the CA store included)."""
    by_source: dict[str, list[str]] = {}
    for path, marker in files.extra_ca_hits:
        by_source.setdefault(marker.source, []).append(path)
    return [Finding(files.image, "extra-ca", f"holds the certificate of {source} in {_listed(paths)}")
            for source, paths in by_source.items()]
