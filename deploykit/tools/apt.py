"""Install Debian packages on demand (root on Debian only), with one clear line otherwise."""

import os
import shutil
from pathlib import Path

from deploykit.foundation.errors import ToolMissing
from deploykit.foundation.log import logger
from deploykit.foundation.run import run

_APT_ENV = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}


def can_install() -> bool:
    return os.geteuid() == 0 and Path("/etc/debian_version").exists() and bool(shutil.which("apt-get"))


def installed(package: str) -> bool:
    result = run(["dpkg-query", "-W", "-f=${Status}", package], check=False)
    return result.succeeded and "install ok installed" in result.stdout


def _satisfied(package: str) -> bool:
    """Installed; for `name/release`, installed from that release (apt would change nothing)."""
    name, _, release = package.partition("/")
    if not installed(name):
        return False
    if not release:
        return True
    simulation = run(["apt-get", "install", "-s", "--no-install-recommends", package], check=False, env=_APT_ENV)
    return simulation.succeeded and "\nInst " not in f"\n{simulation.stdout}"


def ensure_packages(*packages: str, why: str) -> None:
    """Install the packages that are missing; `why` names what needs them, for the error line.

    A package may carry a release suffix (`containerd/trixie`), as apt-get accepts it. apt's lists
    are refreshed whenever they cannot install the packages (empty, stale, or a source just
    added), never on the word of an earlier refresh: something else may have cleared them since.
    """
    missing = [p for p in packages if not _satisfied(p)]
    if not missing:
        return
    if not can_install():
        raise ToolMissing(f"{why} needs the Debian packages {' '.join(missing)}; install them (as root)")
    logger.info(f"installing {' '.join(missing)} for {why} ...")
    install = ["apt-get", "install", "-y", "-q", "--no-install-recommends", *missing]
    simulation = ["apt-get", "install", "-s", "--no-install-recommends", *missing]
    refreshed = not run(simulation, check=False, env=_APT_ENV).succeeded
    if refreshed:
        run(["apt-get", "update", "-q"], env=_APT_ENV, timeout=600)
    result = run(install, check=refreshed, env=_APT_ENV, timeout=1800)
    if not result.succeeded:  # lists that named versions the mirror no longer has
        run(["apt-get", "update", "-q"], env=_APT_ENV, timeout=600)
        run(install, env=_APT_ENV, timeout=1800)
