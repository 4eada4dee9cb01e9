"""Cut a Debian root filesystem tarball down to what one runtime image needs.

mmdebstrap installs packages properly (maintainer scripts run, so the CA bundle, system users
and byte-code exist); this module then keeps only the files of the packages the image needs (the
dependency closure of a few roots, stopping at packages cut on purpose such as dpkg or perl),
plus generated paths the recipe names, and writes a new tarball for `docker import`. The dpkg
status of the kept packages stays in the image so scanners can still list what it contains.
"""

import copy
import fnmatch
import io
import re
import tarfile
from dataclasses import dataclass, field

from deploykit.foundation.errors import ImageBuildError

STATUS = "var/lib/dpkg/status"

# Kept in every slim image: merged-/usr links (the ELF loader is /lib64/...), a writable /tmp,
# the dynamic loader's cache, the accounts, and what identifies the distribution.
ALWAYS_KEEP = (
    "bin", "sbin", "lib", "lib64", "tmp", "etc/passwd", "etc/group",
    "etc/ld.so.cache", "etc/ld.so.conf", "etc/ld.so.conf.d/*",
    "etc/os-release", "usr/lib/os-release", "etc/debian_version",
)


@dataclass(frozen=True)
class Package:
    name: str
    depends: tuple  # one tuple of alternative package names per Pre-Depends/Depends clause
    provides: tuple
    paragraph: str  # the raw status entry, copied into the slim image's status file


@dataclass(frozen=True)
class Selection:
    """Which files of a full root filesystem end up in the slim one (paths without '/')."""

    packages: tuple  # roots of the dependency closure whose files are kept
    cut: tuple = ()  # packages the closure never enters (installers, perl, debconf, ...)
    paths: tuple = ()  # extra globs kept whatever their package (generated files)
    drop: tuple = ()  # globs removed even from kept packages
    keep: tuple = field(default=ALWAYS_KEEP)


def _names(field_value: str) -> list:
    """'a (>= 1) | b:any, c' -> [('a', 'b'), ('c',)]"""
    clauses = []
    for clause in filter(None, (c.strip() for c in field_value.split(","))):
        alternatives = [re.split(r"[\s:(]", alt.strip(), maxsplit=1)[0] for alt in clause.split("|")]
        clauses.append(tuple(alternatives))
    return clauses


def parse_status(text: str) -> dict:
    """Installed packages from a dpkg status file, by name."""
    packages = {}
    for paragraph in re.split(r"\n\s*\n", text.strip()):
        fields = dict(re.findall(r"^([\w-]+):[ \t]*(.*(?:\n[ \t].*)*)", paragraph, re.MULTILINE))
        if "installed" not in fields.get("Status", "").split():
            continue
        depends = _names(fields.get("Pre-Depends", "")) + _names(fields.get("Depends", ""))
        provides = tuple(alts[0] for alts in _names(fields.get("Provides", "")))
        packages[fields["Package"]] = Package(fields["Package"], tuple(depends), provides, paragraph)
    return packages


def dependency_closure(packages: dict, roots, cut=()) -> set:
    """Names of the roots and everything they depend on, never entering a cut package.

    A clause is satisfied by its first installed alternative (real or provided); a clause whose
    choice is cut is dropped, which is how a runtime image sheds installers its packages declare.
    """
    providers = {name: name for name in packages}
    for package in packages.values():
        for virtual in package.provides:
            providers.setdefault(virtual, package.name)
    missing = [root for root in roots if root not in packages]
    if missing:
        raise ImageBuildError(f"root packages not installed: {', '.join(missing)}; add them to the recipe's include")
    wanted, todo = set(), list(roots)
    while todo:
        name = todo.pop()
        if name in wanted:
            continue
        wanted.add(name)
        for clause in packages[name].depends:
            chosen = next((providers[alt] for alt in clause if alt in providers), None)
            if chosen and chosen not in cut:
                todo.append(chosen)
    return wanted


def _relative(path: str) -> str:
    """'./usr/bin/' and '/usr/bin' -> 'usr/bin'; the root itself -> ''."""
    path = path[2:] if path.startswith("./") else path.lstrip("/")
    return "" if path == "." else path.rstrip("/")


def _matches(path: str, globs) -> bool:
    return any(fnmatch.fnmatchcase(path, glob) for glob in globs)


def _with_ancestors(paths) -> set:
    result = set()
    for path in paths:
        while path:
            result.add(path)
            path = path.rpartition("/")[0]
    return result


def _content(full: tarfile.TarFile, member: tarfile.TarInfo) -> bytes:
    """The bytes of a regular file (or a hard link to one) of the tarball."""
    data = full.extractfile(member)
    if data is None:
        raise ImageBuildError(f"{member.name} in the root filesystem tarball is not a file")
    return data.read()


def _package_files(full: tarfile.TarFile, by_name: dict, names) -> set:
    owned: set[str] = set()
    for name in names:
        for listing in (f"var/lib/dpkg/info/{name}.list", f"var/lib/dpkg/info/{name}:amd64.list"):
            if listing in by_name:
                text = _content(full, by_name[listing]).decode()
                owned.update(_relative(line) for line in text.splitlines())
    return owned


def _as_regular_file(full: tarfile.TarFile, link: tarfile.TarInfo):
    """A hard link whose target is dropped, turned into a copy of the target."""
    data = _content(full, link)
    as_file = copy.copy(link)
    as_file.type, as_file.linkname, as_file.size = tarfile.REGTYPE, "", len(data)
    return as_file, io.BytesIO(data)


def slim(source: str, target: str, selection: Selection) -> list:
    """Write target with the members of the source tarball that the selection keeps.

    Returns the names of the kept packages, whose dpkg status entries replace the full status
    file. With no root packages (an `extract` variant has no dpkg database) only globs count.
    """
    with tarfile.open(source) as full:
        members = full.getmembers()
        by_name = {_relative(m.name): m for m in members}
        packages, kept_packages = {}, set()
        if selection.packages:
            packages = parse_status(_content(full, by_name[STATUS]).decode())
            kept_packages = dependency_closure(packages, selection.packages, selection.cut)
        owned = _package_files(full, by_name, kept_packages)
        wanted = {
            path for path in by_name
            if (path in owned or _matches(path, selection.paths + selection.keep))
            and not _matches(path, selection.drop)
        }
        wanted = _with_ancestors(wanted | ({STATUS} if kept_packages else set()))
        with tarfile.open(target, "w", format=tarfile.PAX_FORMAT) as slim_tar:
            for member in members:
                path = _relative(member.name)
                if path not in wanted or path == STATUS:
                    continue
                if member.islnk() and _relative(member.linkname) not in wanted:
                    slim_tar.addfile(*_as_regular_file(full, member))
                else:
                    slim_tar.addfile(member, full.extractfile(member) if member.isreg() else None)
            if kept_packages:
                status = "\n\n".join(packages[name].paragraph for name in sorted(kept_packages))
                info = tarfile.TarInfo("./" + STATUS)
                info.size, info.mode = len(status.encode()) + 1, 0o644
                slim_tar.addfile(info, io.BytesIO(status.encode() + b"\n"))
    return sorted(kept_packages)
