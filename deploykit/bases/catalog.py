"""Every third-party base image the project uses: its official name, and an air-gapped
equivalent built from Debian packages under an honest local name, chosen per engine.

Policy: the official image when the engine has it or can pull it; otherwise the local equivalent,
built once per recipe (the recipe's hash is a label, so an unchanged recipe is never rebuilt).
DEPLOYKIT_BASES=local always uses the local equivalents (the air-gapped path on any machine).
A home-built image never gets an official name.
"""

import dataclasses
import hashlib
import json
import os
from dataclasses import dataclass

import docker
import requests

from deploykit.bases import build as basebuild
from deploykit.bases.rootfs import Selection
from deploykit.foundation.locks import exclusive
from deploykit.foundation.log import logger
from deploykit.tools import engine

# Images built on a base inherit its labels, hence the `base.` in their names.
LABEL = "org.todo-list-hackathon.base.recipe-sha256"
REGISTRY_PROBE_TIMEOUT = 15  # seconds; a registry that has not answered by then is not used
# Bump when basebuild or rootfs change what they produce from the same recipe.
BUILDER_REVISION = 1


@dataclass(frozen=True)
class Base:
    role: str  # how images.build and the chart refer to it; also its recipes/ folder, if any
    local: str
    official: str
    suite: str
    include: tuple  # Debian packages mmdebstrap installs
    variant: str = "essential"  # mmdebstrap's: `essential` runs maintainer scripts, `extract` does not
    options: tuple = ()  # further mmdebstrap options
    selection: Selection | None = None  # what a runtime image keeps; None keeps everything
    changes: tuple = ()  # image settings, as Dockerfile instructions (USER, ENV, CMD, ...)
    smoke: tuple = ()  # a command the image must run before it is tagged
    expect: str = ""  # text its output must contain; pins the version the local name promises
    # The stand-in matches the official image: same distribution release and libc, same Python
    # minor version and origin, the same package set where the official image publishes one. Its
    # measured size is then the online size; otherwise the online size is an estimate
    # (docs/BASE-SIZES.md: the official image's published size plus our own layers).
    faithful: bool = False


# Packages a runtime image never needs although its packages declare them (installers, perl).
INSTALLERS = ("dpkg", "debconf", "perl-base", "mawk", "adduser", "passwd", "init-system-helpers")
# glibc's iconv modules: nothing in the slim images converts charsets through iconv.
GCONV = "usr/lib/x86_64-linux-gnu/gconv/*"
PATH = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
PYTHON_SMOKE = (
    "python3", "-c",
    "import asyncio, ctypes, sqlite3, ssl, sys, zoneinfo; zoneinfo.ZoneInfo('Europe/Paris');"
    "assert ssl.create_default_context().cert_store_stats()['x509_ca'] > 100; print(sys.version)",
)

# gcr.io/distroless/python3-debian13, package by package: distroless' static, base, cc and python3
# package lists (GoogleContainerTools/distroless: static/, base/, cc/ and python3/config.bzl), and
# ca-certificates, of which distroless keeps only the generated bundle.
DISTROLESS_STATIC = ("base-files", "netbase", "tzdata", "tzdata-legacy", "media-types")
DISTROLESS_BASE = ("libc6", "libssl3t64", "libzstd1", "zlib1g")
DISTROLESS_CC = ("libgomp1", "libstdc++6", "libgcc-s1", "gcc-14-base")
DISTROLESS_PYTHON = (
    "libbz2-1.0", "libdb5.3t64", "libexpat1", "liblzma5", "libsqlite3-0", "libuuid1", "libncursesw6",
    "libtinfo6", "zlib1g", "libcom-err2", "libcrypt1", "libc-bin", "libgssapi-krb5-2", "libk5crypto3",
    "libkeyutils1", "libkrb5-3", "libkrb5support0", "libnsl2", "libreadline8t64", "libtirpc3t64", "libffi8",
    "libpython3.13-minimal", "libpython3.13-stdlib", "python3.13-minimal", "python3.13-venv",
)
DISTROLESS_PYTHON3 = tuple(dict.fromkeys(
    DISTROLESS_STATIC + DISTROLESS_BASE + DISTROLESS_CC + DISTROLESS_PYTHON + ("ca-certificates",)
))

BASES = {
    base.role: base for base in (
        Base(
            # The builder: Debian's python3.13 is installed by backend/Dockerfile's first step, so the
            # virtual environment it makes runs unchanged on the distroless runtime below.
            "python-build", "localhost/todo-base/debian:13-slim", "debian:13-slim", "trixie", ("apt",),
            variant="minbase",  # the official slim images: minbase plus the dpkg excludes of SLIM_DPKG
            changes=(f"ENV {PATH}", 'CMD ["bash"]'),
            smoke=("sh", "-c", "cat /etc/debian_version && apt-get --version | head -n 1"), expect="13.",
            faithful=True,
        ),
        Base(
            # distroless unpacks these packages' data, no dependency resolution, no maintainer
            # scripts; recipes/python/hook.sh does the same and adds what distroless generates.
            "python", "localhost/todo-base/python:3.13-distroless", "gcr.io/distroless/python3-debian13:nonroot",
            "trixie", DISTROLESS_PYTHON3, variant="extract",
            changes=(f"ENV {PATH}", "ENV SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt", "ENV LANG=C.UTF-8",
                     "USER 65532", "WORKDIR /home/nonroot", 'ENTRYPOINT ["/usr/bin/python3.13"]'),
            smoke=PYTHON_SMOKE, expect="3.13.",
            faithful=True,
        ),
        Base(
            "node", "localhost/todo-base/node:20", "node:22-alpine", "trixie",
            ("nodejs", "npm", "ca-certificates"),
            changes=(f"ENV {PATH}", 'CMD ["node"]'),
            smoke=("sh", "-c", "node --version && npm --version"), expect="v20.",
        ),
        Base(
            "nginx", "localhost/todo-base/nginx-unprivileged:1.26",
            "nginxinc/nginx-unprivileged:1.29-alpine-slim", "trixie", ("nginx", "sed"),
            selection=Selection(
                packages=("nginx", "dash", "sed"),
                cut=(*INSTALLERS, "iproute2"),
                paths=("etc/nginx/*", "var/log/nginx/*"),
                drop=(GCONV, "etc/nginx/sites-*", "etc/nginx/snippets*", "etc/init.d*", "etc/default*",
                      "etc/logrotate.d*", "etc/ufw*", "usr/lib/systemd*", "usr/share/vim*",
                      "usr/share/apport*", "var/lib/nginx*"),
            ),
            changes=(f"ENV {PATH}", "USER 101", "EXPOSE 8080", "STOPSIGNAL SIGQUIT",
                     'CMD ["nginx", "-g", "daemon off;"]'),
            smoke=("sh", "-c", "nginx -t 2>&1 && nginx -v 2>&1 && echo ok | sed s/ok/sed-ok/"),
            expect="nginx/1.26.",
        ),
        Base(
            "postgres", "localhost/todo-base/postgres:17", "postgres:16-alpine", "trixie",
            ("postgresql-17",),
            options=("--skip=cleanup/run",),  # keeps /run/postgresql, the socket directory, made by the hook
            selection=Selection(
                packages=("postgresql-17", "postgresql-client-17", "dash"),
                # perl wrappers and Debian's cluster tooling; the JIT's LLVM is optional and 130 MB
                cut=(*INSTALLERS, "postgresql-common", "postgresql-client-common", "locales",
                     "ssl-cert", "libllvm19"),
                # initdb needs the C.UTF-8 locale's files (libc-bin's, which is not kept)
                paths=("usr/local/bin/docker-entrypoint.sh", "var/lib/postgresql", "run/postgresql",
                       "var/run", "usr/lib/locale/C.utf8/*"),
                drop=("usr/lib/postgresql/*/lib/llvmjit*", "usr/lib/postgresql/*/lib/bitcode*"),
            ),
            changes=("ENV PATH=/usr/lib/postgresql/17/bin:/usr/local/bin:/usr/bin:/bin",
                     "ENV PGDATA=/var/lib/postgresql/data", "ENV LANG=C.UTF-8", "USER 999:999",
                     "EXPOSE 5432", "STOPSIGNAL SIGINT", 'ENTRYPOINT ["docker-entrypoint.sh"]',
                     'CMD ["postgres"]'),
            smoke=("postgres", "--version"), expect="(PostgreSQL) 17.",
        ),
        Base(
            "busybox", "localhost/todo-base/busybox:1.37", "busybox:1.36", "trixie", ("busybox-static",),
            variant="extract",
            selection=Selection(packages=(), paths=("usr/bin/*", "usr/share/doc/busybox-static/copyright")),
            changes=(f"ENV {PATH}", 'CMD ["sh"]'),
            smoke=("sh", "-c", "busybox | head -n 1 && wget --help 2>&1 | head -n 1"),
            expect="BusyBox v1.37",
        ),
    )
}


def recipe_hash(base: Base) -> str:
    """sha256 of everything that shapes the image: the recipe, its recipes/ files, the builder."""
    digest = hashlib.sha256(f"builder {BUILDER_REVISION}\n".encode())
    recipe = dataclasses.asdict(base)
    del recipe["faithful"]  # a claim about the image, not an input to it: existing builds stay current
    digest.update(json.dumps(recipe, sort_keys=True).encode())
    folder = basebuild.RECIPES / base.role
    for path in sorted(folder.rglob("*")) if folder.is_dir() else ():
        if path.is_file():
            digest.update(f"\n{path.relative_to(folder)}\n".encode() + path.read_bytes())
    return digest.hexdigest()


_registry_answers: dict = {}


def official_available(client: docker.DockerClient, name: str) -> bool:
    """The engine has the official image, or its registry lists it and the pull succeeds."""
    if os.environ.get("DEPLOYKIT_BASES") == "local":
        return False
    try:
        client.images.get(name)
        return True
    except docker.errors.ImageNotFound:
        pass
    if name not in _registry_answers:  # one try per process, bounded by a short timeout
        saved, client.api.timeout = client.api.timeout, REGISTRY_PROBE_TIMEOUT
        try:
            client.api.inspect_distribution(name)
            listed = True
        except (docker.errors.APIError, requests.exceptions.RequestException):
            listed = False
        finally:
            client.api.timeout = saved
        if listed:
            logger.info(f"pulling {name}")
        _registry_answers[name] = listed and _pulled(client, name)
    return _registry_answers[name]


def _pulled(client: docker.DockerClient, name: str) -> bool:
    try:
        client.images.pull(name)
        return True
    except docker.errors.APIError as exc:
        logger.info(f"could not pull {name} ({exc.explanation}); using the local equivalent")
        return False


def _local_is_current(client: docker.DockerClient, base: Base, digest: str) -> bool:
    try:
        return client.images.get(base.local).labels.get(LABEL) == digest
    except docker.errors.ImageNotFound:
        return False


def _exclusive(base: Base):
    """Serialises the builds of one base across processes: parallel sessions share the engine."""
    return exclusive(f"base-{base.role}")


def ensure_base(client: docker.DockerClient, base: Base) -> str:
    """The image name to build on for this base: the official one or the local equivalent."""
    if official_available(client, base.official):
        return base.official
    digest = recipe_hash(base)
    if _local_is_current(client, base, digest):
        return base.local
    with _exclusive(base):
        if not _local_is_current(client, base, digest):  # another process may have built it meanwhile
            basebuild.build(client, base, labels={LABEL: digest, basebuild.EQUIVALENT_LABEL: base.official})
    return base.local


def ensure_all_bases(client: docker.DockerClient | None = None) -> dict:
    """Every base by role, e.g. {'python': 'localhost/todo-base/python:3.13-distroless', ...}."""
    client = client or engine.ensure_engine()
    return {role: ensure_base(client, base) for role, base in BASES.items()}
