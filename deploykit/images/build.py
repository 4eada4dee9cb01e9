"""The project's images, todo-list-hackathon/{backend,frontend}:<version>, built with the docker
SDK on the bases that bases.catalog chooses, with the build CA in the context (images.buildca).

A build is skipped when the image of that name already carries the hash of its inputs (the
context's files, the build args and the base images' ids); only that name is trusted, because
images built FROM a project image inherit its labels. Build output streams to stderr, one line per line.
"""

import collections
import hashlib
import io
import json
import tarfile
from dataclasses import dataclass
from pathlib import Path

import docker
import yaml

from deploykit.bases import catalog as bases
from deploykit.foundation import paths
from deploykit.foundation.errors import ImageBuildError
from deploykit.foundation.log import logger
from deploykit.images import buildca
from deploykit.tools import engine, mirrors

INPUTS_LABEL = "org.todo-list-hackathon.inputs-sha256"
DEFAULT_VERSION = "0.1.0"
ERROR_CONTEXT_LINES = 15


@dataclass(frozen=True)
class Component:
    name: str
    directory: Path
    base_args: dict  # Dockerfile ARG -> base role in bases.BASES
    runtime: str  # the role of the base the final stage starts FROM (the image's own layers sit on it)
    registry_args: tuple[str, ...] = ()  # Dockerfile ARGs that take the host's registry (HOST_REGISTRIES)


# The host's own configuration, for the build's package clients (none is named here).
HOST_REGISTRIES = {"NPM_CONFIG_REGISTRY": mirrors.npm_registry}

COMPONENTS = {
    "backend": Component("backend", paths.BACKEND, {"PYTHON_BUILD_IMAGE": "python-build", "PYTHON_IMAGE": "python"},
                         runtime="python"),
    "frontend": Component("frontend", paths.FRONTEND, {"NODE_IMAGE": "node", "NGINX_IMAGE": "nginx"},
                          runtime="nginx", registry_args=("NPM_CONFIG_REGISTRY",)),
}


def chart_version(chart: Path = paths.CHART) -> str:
    """The chart's appVersion: images are tagged with what the chart deploys by default."""
    chart_yaml = chart / "Chart.yaml"
    if not chart_yaml.is_file():
        return DEFAULT_VERSION
    return str(yaml.safe_load(chart_yaml.read_text()).get("appVersion") or DEFAULT_VERSION)


def image_name(component: str, version: str) -> str:
    return f"todo-list-hackathon/{component}:{version}"


def build_args(component: Component, chosen_bases: dict, version: str) -> dict:
    """The Dockerfile's base ARGs, set to the chosen bases, its registry ARGs, set to the host's
    registries (when it has one), and VERSION."""
    registries = {arg: HOST_REGISTRIES[arg]() for arg in component.registry_args}
    return ({arg: chosen_bases[role] for arg, role in component.base_args.items()}
            | {arg: value for arg, value in registries.items() if value} | {"VERSION": version})


def inputs_digest(context, args: dict, base_ids: dict) -> str:
    """sha256 of what the image is made of: files of the context (content, mode, links; not
    mtimes, so a fresh checkout of the same tree is a hit), build args and base image ids."""
    digest = hashlib.sha256(json.dumps({"args": args, "bases": base_ids}, sort_keys=True).encode())
    with tarfile.open(fileobj=context) as tar:
        for member in tar:
            # member.type is bytes (b"0"): the digest has always held its repr, and keeps it so cached
            # images stay hits
            digest.update(f"{member.name}\0{member.type!r}\0{member.mode}\0{member.linkname}\0".encode())
            if member.isreg():
                content = tar.extractfile(member)
                assert content is not None  # a regular member always has content
                digest.update(content.read())
    context.seek(0)
    return digest.hexdigest()


def stream_build(client: docker.DockerClient, component: str, context, **build_options) -> None:
    """Run the build, logging its steps (the rest of its output at debug level); raise ImageBuildError
    naming the failing step."""
    step = "(before the first step)"
    recent: collections.deque[str] = collections.deque(maxlen=ERROR_CONTEXT_LINES)
    for chunk in client.api.build(fileobj=context, custom_context=True, decode=True, **build_options):
        for line in filter(None, chunk.get("stream", "").splitlines()):
            recent.append(line)
            if line.startswith("Step "):
                step = line
                logger.info(f"{component} | {line}")
            else:
                logger.debug(f"{component} | {line}")
        if "error" in chunk:
            output = "\n".join(recent)
            raise ImageBuildError(f"{component} image: {step} failed: {chunk['error'].strip()}\n{output}")


def build_inline(client: docker.DockerClient, tag: str, dockerfile: str, files: tuple[Path, ...] = ()) -> str:
    """Build a small image from a Dockerfile given as text plus a few files (by their names);
    for the images deploykit composes itself (cluster system images, the smoke-test server)."""
    context = io.BytesIO()
    with tarfile.open(fileobj=context, mode="w") as tar:
        for path in files:
            tar.add(path, arcname=path.name)
        data = dockerfile.encode()
        info = tarfile.TarInfo("Dockerfile")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    context.seek(0)
    stream_build(client, tag, context, tag=tag, rm=True, forcerm=True, pull=False)
    return tag


def _labels_of(client: docker.DockerClient, name: str) -> dict:
    try:
        return client.images.get(name).labels
    except docker.errors.ImageNotFound:
        return {}


def build_image(client: docker.DockerClient, component: Component, chosen_bases: dict, version: str) -> str:
    """Build (or reuse) one project image; returns its name."""
    name = image_name(component.name, version)
    context = buildca.build_context(component.directory)
    args = build_args(component, chosen_bases, version)
    base_ids = {role: client.images.get(chosen_bases[role]).id for role in component.base_args.values()}
    digest = inputs_digest(context, args, base_ids)
    previous = _labels_of(client, name).get(INPUTS_LABEL)
    if previous == digest:
        logger.info(f"{name}: inputs unchanged, build skipped")
        return name
    # The previous build of this name, when the engine has one, is a cache source: an image restored
    # with `docker load` (CI's layer cache) has no build cache of its own, and the classic builder
    # reuses its layers only when named in cache_from (the local build cache is still consulted).
    cache = {"cache_from": [name]} if previous else {}
    stream_build(client, component.name, context, tag=name, buildargs=args, labels={INPUTS_LABEL: digest},
                  rm=True, forcerm=True, pull=False, **cache)
    return name


def build_project_images(client: docker.DockerClient | None = None, version: str | None = None) -> dict:
    """Both project images by component name, on the bases this engine should use."""
    client = client or engine.ensure_engine()
    version = version or chart_version()
    needed = {role for component in COMPONENTS.values() for role in component.base_args.values()}
    chosen = {role: bases.ensure_base(client, bases.BASES[role]) for role in sorted(needed)}
    return {name: build_image(client, component, chosen, version) for name, component in COMPONENTS.items()}


def image_values(reference: str) -> dict:
    """'localhost/todo-base/postgres:17' -> registry 'localhost', repository 'todo-base/postgres',
    tag '17', so that the chart's global.imageRegistry can still repoint it."""
    repository, _, tag = reference.rpartition(":")
    first, _, rest = repository.partition("/")
    if rest and ("." in first or ":" in first or first == "localhost"):
        return {"registry": first, "repository": rest, "tag": tag}
    return {"registry": "", "repository": repository, "tag": tag}


def chart_image_overrides(client: docker.DockerClient | None = None) -> dict:
    """Values for the chart's third-party images (in-cluster PostgreSQL, helm test hook) on this
    engine: the official images where they are available, else the air-gapped equivalents."""
    client = client or engine.ensure_engine()
    return {
        "postgresql": {"image": image_values(bases.ensure_base(client, bases.BASES["postgres"]))},
        "tests": {"image": image_values(bases.ensure_base(client, bases.BASES["busybox"]))},
    }
