"""The extra certificate authority a `docker build` needs to reach package registries through a
TLS-intercepting proxy, and the build context that carries it.

The context is the component's directory, as its .dockerignore allows, plus `build-ca/extra-ca.pem`
(empty when no extra CA is needed), assembled as a tar stream: the CA is never written to the
source tree. Dockerfiles copy `build-ca/` into build stages only, so it never reaches a final image.
"""

import io
import json
import os
import tarfile
from pathlib import Path

import docker

from deploykit.foundation.errors import ImageBuildError
from deploykit.images import files as imagefiles
from deploykit.images.hostca import certificates

HOST_BUNDLE = Path("/etc/ssl/certs/ca-certificates.crt")
CA_DIR = "build-ca"
CA_MEMBER = f"{CA_DIR}/extra-ca.pem"
PEM_MARKER = b"-----BEGIN CERTIFICATE-----"


def extra_ca(environ=os.environ, host_bundle: Path = HOST_BUNDLE) -> bytes:
    """The PEM bundle build stages should trust in addition to their own store.

    DEPLOYKIT_BUILD_CA names a PEM file, or is empty for none. Unset, it is the host's whole
    bundle when there is one: the host trusts the proxy it goes through, and passing the bundle
    is simpler and more honest than guessing which certificate is the proxy's.
    """
    chosen = environ.get("DEPLOYKIT_BUILD_CA")
    if chosen == "":
        return b""
    path = Path(chosen) if chosen is not None else host_bundle
    if chosen is None and not path.is_file():
        return b""
    try:
        pem = path.read_bytes()
    except OSError as exc:
        raise ImageBuildError(f"DEPLOYKIT_BUILD_CA={chosen}: cannot read it ({exc.strerror})") from exc
    if PEM_MARKER not in pem:
        raise ImageBuildError(f"{path} holds no PEM certificate; point DEPLOYKIT_BUILD_CA at a PEM bundle")
    return pem


def dockerignore_patterns(directory: Path) -> list:
    """The .dockerignore patterns, read the way the docker CLI and SDK read them."""
    ignore_file = directory / ".dockerignore"
    if not ignore_file.is_file():
        return []
    lines = (line.strip() for line in ignore_file.read_text().splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mode = len(data), 0o644  # mtime 0: an unchanged CA leaves the context unchanged
    tar.addfile(info, io.BytesIO(data))


def build_context(directory: Path, ca: bytes | None = None):
    """A seekable tar file of directory for `docker build`, with `build-ca/extra-ca.pem` added.

    Whatever the source tree holds under build-ca/ is left out: the CA folder in the context is
    exactly what deploykit chose. ca defaults to extra_ca().
    """
    directory = Path(directory)
    if not (directory / "Dockerfile").is_file():
        raise ImageBuildError(f"{directory}/Dockerfile does not exist")
    # later patterns win, so these override any `!build-ca/` in the component's .dockerignore
    patterns = dockerignore_patterns(directory) + [CA_DIR, f"{CA_DIR}/**"]
    context = docker.utils.tar(str(directory), exclude=patterns)
    with tarfile.open(fileobj=context, mode="a") as tar:
        folder = tarfile.TarInfo(CA_DIR)
        folder.type, folder.mode = tarfile.DIRTYPE, 0o755
        tar.addfile(folder)
        _add_bytes(tar, CA_MEMBER, extra_ca() if ca is None else ca)
    context.seek(0)
    return context


def _exported_files(client: docker.DockerClient, image: str) -> dict:
    """Path -> content of every regular file in a container of image, plus every other path."""
    with imagefiles.exported(client, image) as filesystem:
        return {m.name: filesystem.extractfile(m).read() if m.isreg() else b"" for m in filesystem}


def traces_in_image(client: docker.DockerClient, image: str, ca: bytes) -> list:
    """Where an image shows the build CA: a build-ca path in its filesystem, or a certificate of
    ca that the image's own CA store does not hold, in a file, its history or its config.

    Certificates the image trusts anyway (ca is often the host's whole bundle) prove nothing,
    so only the CA's own ones are searched for, by their first base64 line (64 characters).
    """
    files = _exported_files(client, image)
    own_store = certificates(files.get(HOST_BUNDLE.relative_to("/").as_posix(), b""))
    markers = [body[:64] for body in certificates(ca) - own_store]
    history = [layer.get("CreatedBy", "") for layer in client.api.history(image)]
    texts = {f"history step {text[:100]!r}": text for text in history}
    texts["image config"] = json.dumps(client.images.get(image).attrs["Config"])
    findings = [f"file {name}" for name in files if CA_DIR in name or "extra-ca" in name]
    findings += [f"history step {text[:100]!r}" for text in history if CA_DIR in text or "extra-ca" in text]
    for marker in markers:
        findings += [f"certificate {marker[:12].decode()}... in file {name}" for name, data in files.items()
                     if marker in data]
        findings += [f"certificate {marker[:12].decode()}... in {where}" for where, text in texts.items()
                     if marker.decode() in text]
    return findings
