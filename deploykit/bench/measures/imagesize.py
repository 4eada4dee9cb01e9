"""Image size figures: uncompressed (`docker image inspect .Size`), the size of the image users build
online on the official base (deploykit.images.sizeproof: measured, or estimated from the official
base's published size), compressed as `docker save | gzip` would ship it, layer count, the largest
files of the final image, and the ratio to the base image it starts from (a ratio compares across
machines where megabytes of bases do not)."""

import zlib

import docker

from deploykit.bench.figure import Figure
from deploykit.foundation.limits import IMAGE_SIZE_MB, MB
from deploykit.images import sizeproof
from deploykit.images.build import COMPONENTS
from deploykit.images.files import exported

GROUP = "Images"
LARGEST_FILES = 5


def gzipped_size(client: docker.DockerClient, name: str) -> int:
    """Bytes of `docker save name | gzip` (gzip's default level 6), streamed, never written."""
    compressor = zlib.compressobj(6, zlib.DEFLATED, 16 + zlib.MAX_WBITS)  # 16+: the gzip container
    size = 0
    for chunk in client.images.get(name).save(chunk_size=1 << 20):
        size += len(compressor.compress(chunk))
    return size + len(compressor.flush())


def largest_files(client: docker.DockerClient, name: str, count: int = LARGEST_FILES) -> list[tuple[str, int]]:
    """The count largest regular files of the image's filesystem, as ("/path", bytes)."""
    sizes = []
    with exported(client, name) as tar:
        sizes = [(f"/{member.name.removeprefix('./')}", member.size) for member in tar if member.isreg()]
    return sorted(sizes, key=lambda item: item[1], reverse=True)[:count]


def figures(client: docker.DockerClient, built: dict, chosen_bases: dict) -> tuple[list[Figure], dict]:
    """Figures for each project image, and {component: largest files} for the report."""
    found, listings = [], {}
    for component, name in built.items():
        attrs = client.api.inspect_image(name)
        size_mb, gzipped_mb = attrs["Size"] / MB, gzipped_size(client, name) / MB
        base = chosen_bases[COMPONENTS[component].runtime]
        base_mb = client.api.inspect_image(base)["Size"] / MB
        online = sizeproof.size_proof(client, component, name, base)
        found += [
            Figure(f"image.{component}.size", GROUP, f"{component} image, uncompressed", size_mb, "MB",
                   "`docker image inspect .Size`", IMAGE_SIZE_MB[component], digits=1),
            Figure(f"image.{component}.online", GROUP, f"{component} image online, on {online.official}",
                   online.online_mb, "MB", online.proof, IMAGE_SIZE_MB[component], digits=1,
                   note=online.describe()),
            Figure(f"image.{component}.gzipped", GROUP, f"{component} image, compressed", gzipped_mb, "MB",
                   "bytes of `docker save | gzip` (level 6), base layers included", digits=1),
            Figure(f"image.{component}.layers", GROUP, f"{component} image, layers", len(attrs["RootFS"]["Layers"]),
                   "", "`RootFS.Layers` of `docker image inspect`, base layers included", digits=0),
            Figure(f"image.{component}.over_base", GROUP, f"{component} image over its base", size_mb / base_mb, "x",
                   "uncompressed size over the runtime base's", note=f"base `{base}`: {base_mb:.1f} MB"),
        ]
        listings[component] = largest_files(client, name)
    return found, listings

