"""A runtime base keeps the files of the packages it needs and nothing else: the dependency
closure of its roots (never entering cut packages), the generated paths its recipe names, and a
dpkg status that lists exactly the kept packages."""

import io
import tarfile

import pytest

from deploykit.bases import rootfs
from deploykit.foundation.errors import ImageBuildError

STATUS = """\
Package: app
Status: install ok installed
Pre-Depends: libc6 (>= 2.38)
Depends: liba (>= 1) | libb, mail-transport-agent, installer:any, libc6

Package: liba
Status: install ok installed
Depends: libc6
Description: a library
 spanning two lines: Depends: not-a-field

Package: libb
Status: install ok installed

Package: exim
Status: install ok installed
Provides: mail-transport-agent

Package: installer
Status: install ok installed
Depends: perl

Package: perl
Status: install ok installed

Package: libc6
Status: install ok installed

Package: removed
Status: deinstall ok config-files
"""


def test_parse_status_reads_installed_packages_and_their_dependency_clauses():
    packages = rootfs.parse_status(STATUS)
    assert "removed" not in packages
    assert packages["app"].depends == (
        ("libc6",), ("liba", "libb"), ("mail-transport-agent",), ("installer",), ("libc6",),
    )
    assert packages["liba"].depends == (("libc6",),)  # a continuation line is not a field
    assert packages["exim"].provides == ("mail-transport-agent",)


def test_closure_takes_the_first_installed_alternative_and_resolves_virtual_packages():
    closure = rootfs.dependency_closure(rootfs.parse_status(STATUS), ["app"])
    assert closure == {"app", "liba", "exim", "installer", "perl", "libc6"}


def test_closure_never_enters_a_cut_package():
    closure = rootfs.dependency_closure(rootfs.parse_status(STATUS), ["app"], cut=["installer"])
    assert "installer" not in closure and "perl" not in closure


def test_closure_names_a_root_that_is_not_installed():
    with pytest.raises(ImageBuildError, match="root packages not installed: python9"):
        rootfs.dependency_closure(rootfs.parse_status(STATUS), ["app", "python9"])


def _tarball(path, entries):
    """entries: name -> bytes (file), 'dir', ('symlink', target) or ('hardlink', target)."""
    with tarfile.open(path, "w") as tar:
        for name, entry in entries.items():
            info = tarfile.TarInfo(f"./{name}")
            if entry == "dir":
                info.type, info.mode = tarfile.DIRTYPE, 0o755
                tar.addfile(info)
            elif isinstance(entry, tuple):
                info.type = tarfile.SYMTYPE if entry[0] == "symlink" else tarfile.LNKTYPE
                info.linkname = entry[1]
                tar.addfile(info)
            else:
                info.size = len(entry)
                tar.addfile(info, io.BytesIO(entry))


@pytest.fixture
def full_rootfs(tmp_path):
    path = tmp_path / "full.tar"
    _tarball(path, {
        "usr": "dir", "usr/bin": "dir", "usr/lib": "dir", "bin": ("symlink", "usr/bin"),
        "etc": "dir", "etc/passwd": b"root:x:0:0::/root:/bin/sh\n", "etc/app.conf": b"generated\n",
        "tmp": "dir",
        "usr/bin/app": b"app binary", "usr/lib/liba.so": b"liba", "usr/lib/libc.so": b"libc",
        "usr/lib/libb.so": b"libb", "usr/bin/exim": b"exim",
        "usr/bin/installer": b"installer", "usr/bin/perl": b"perl binary",
        "usr/bin/perl5": ("hardlink", "./usr/bin/perl"), "usr/bin/app-debug": b"debug",
        "var": "dir", "var/lib": "dir", "var/lib/dpkg": "dir", "var/lib/dpkg/info": "dir",
        "var/lib/dpkg/status": STATUS.encode(),
        "var/lib/dpkg/info/app.list": b"/.\n/usr\n/usr/bin\n/usr/bin/app\n/usr/bin/app-debug\n",
        "var/lib/dpkg/info/liba:amd64.list": b"/.\n/usr/lib/liba.so\n",
        "var/lib/dpkg/info/libc6:amd64.list": b"/usr/lib/libc.so\n",
        "var/lib/dpkg/info/libb.list": b"/usr/lib/libb.so\n",
        "var/lib/dpkg/info/exim.list": b"/usr/bin/exim\n",
        "var/lib/dpkg/info/installer.list": b"/usr/bin/installer\n",
        "var/lib/dpkg/info/perl.list": b"/usr/bin/perl5\n",
    })
    return path


def _slimmed(full_rootfs, tmp_path, selection):
    target = tmp_path / "slim.tar"
    kept = rootfs.slim(str(full_rootfs), str(target), selection)
    with tarfile.open(target) as tar:
        files = {m.name.removeprefix("./"): m for m in tar}
        contents = {name: tar.extractfile(m).read() for name, m in files.items() if m.isreg()}
    return kept, files, contents


def test_slim_keeps_the_closure_files_recipe_paths_and_their_parent_directories(full_rootfs, tmp_path):
    selection = rootfs.Selection(packages=("app",), cut=("installer",), paths=("etc/app.conf",),
                                 drop=("usr/bin/app-debug",))
    kept, files, contents = _slimmed(full_rootfs, tmp_path, selection)
    assert kept == ["app", "exim", "liba", "libc6"]
    assert {"usr/bin/app", "usr/lib/liba.so", "usr/lib/libc.so", "usr/bin/exim", "etc/app.conf"} <= contents.keys()
    assert {"usr", "usr/bin", "usr/lib", "etc", "var/lib/dpkg"} <= files.keys()
    for dropped in ("usr/bin/installer", "usr/bin/perl", "usr/bin/perl5", "usr/lib/libb.so", "usr/bin/app-debug",
                    "var/lib/dpkg/info/app.list"):
        assert dropped not in files


def test_slim_always_keeps_merged_usr_links_tmp_and_accounts(full_rootfs, tmp_path):
    _, files, _ = _slimmed(full_rootfs, tmp_path, rootfs.Selection(packages=("libc6",)))
    assert files["bin"].issym() and files["tmp"].isdir() and "etc/passwd" in files


def test_slim_writes_a_dpkg_status_of_only_the_kept_packages(full_rootfs, tmp_path):
    _, _, contents = _slimmed(full_rootfs, tmp_path, rootfs.Selection(packages=("liba",)))
    assert set(rootfs.parse_status(contents["var/lib/dpkg/status"].decode())) == {"liba", "libc6"}


def test_slim_turns_a_hard_link_to_a_dropped_file_into_a_copy(full_rootfs, tmp_path):
    selection = rootfs.Selection(packages=("perl",), drop=("usr/bin/perl",))
    _, files, contents = _slimmed(full_rootfs, tmp_path, selection)
    assert files["usr/bin/perl5"].isreg() and contents["usr/bin/perl5"] == b"perl binary"


def test_slim_without_root_packages_keeps_only_globs_and_writes_no_status(full_rootfs, tmp_path):
    kept, files, _ = _slimmed(full_rootfs, tmp_path, rootfs.Selection(packages=(), paths=("usr/bin/exim",)))
    assert kept == []
    assert "usr/bin/exim" in files and "usr/bin/app" not in files and "var/lib/dpkg/status" not in files
