"""System images of the local cluster (pause, CoreDNS) built FROM scratch around binaries
compiled here, and the import of any image from the Docker engine into the cluster's containerd."""

import json
import subprocess
from pathlib import Path

import docker

from deploykit.clusters.local import build
from deploykit.foundation.errors import ImageBuildError
from deploykit.foundation.log import logger
from deploykit.images.build import build_inline
from deploykit.tools import engine


def _scratch_image(tag: str, binary: Path, dockerfile: str) -> None:
    client = engine.ensure_engine()
    try:
        client.images.get(tag)
    except docker.errors.ImageNotFound:
        build_inline(client, tag, dockerfile, files=(binary,))


def ensure_system_images() -> list[str]:
    _scratch_image(build.PAUSE_IMAGE, build.pause_binary(),
                   "FROM scratch\nADD pause /pause\nUSER 65535:65535\nENTRYPOINT [\"/pause\"]\n")
    _scratch_image(build.COREDNS_IMAGE, build.coredns_binary(),
                   "FROM scratch\nADD coredns /coredns\nUSER 65532:65532\nEXPOSE 1053 1053/udp\n"
                   "ENTRYPOINT [\"/coredns\"]\n")
    return [build.PAUSE_IMAGE, build.COREDNS_IMAGE]


def import_images(names: list[str], containerd_socket: Path, record: Path) -> None:
    """`docker save | ctr import` each image whose Docker image id changed since the last import."""
    client = engine.ensure_engine()
    imported = json.loads(record.read_text()) if record.exists() else {}
    for name in names:
        image_id = client.images.get(name).id
        if imported.get(name) == image_id:
            continue
        logger.info(f"importing {name} into the cluster ...")
        ctr = subprocess.Popen(
            ["ctr", "--address", str(containerd_socket), "-n", "k8s.io", "images", "import",
             "-"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        assert ctr.stdin is not None and ctr.stdout is not None  # both are pipes
        for chunk in client.api.get_image(name):
            ctr.stdin.write(chunk)
        ctr.stdin.close()
        output = ctr.stdout.read().decode(errors="replace")
        if ctr.wait() != 0:
            raise ImageBuildError(f"importing {name} into containerd failed: {output.strip()[-300:]}")
        imported[name] = image_id
        record.write_text(json.dumps(imported, indent=2))
