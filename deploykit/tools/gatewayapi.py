"""The Gateway API's CustomResourceDefinitions (sigs.k8s.io/gateway-api, pinned here), read from
the module's source through the Go module proxy and cached in
~/.cache/todo-list-hackathon/gateway-api/<version>/, verified against checksums recorded here.
Kubernetes' own OpenAPI schema has no Gateway API kind: these are what an HTTPRoute is checked
against. Never committed: the cache is the only copy."""

import functools
from pathlib import Path

import yaml

from deploykit.foundation import paths
from deploykit.foundation.locks import exclusive
from deploykit.tools import golang, toolchain
from deploykit.tools.kubectl import Kubectl

MODULE = "sigs.k8s.io/gateway-api"
VERSION = "v1.7.0"
GROUP = "gateway.networking.k8s.io"
# The standard channel's CRDs by kind: path in the module, sha256 of the file at VERSION.
CRDS = {
    "HTTPRoute": (
        f"config/crd/standard/{GROUP}_httproutes.yaml",
        "ac4c1e0ad475793728a3c599cdac602cc658a633787a2fa568339e98aae93674",
    ),
}


def crd_file(kind: str) -> Path:
    """The CRD of kind (one of CRDS), downloaded on first use; ToolMissing without Go or the proxy."""
    member, sha256 = CRDS[kind]
    dest = paths.cache_dir("gateway-api", VERSION) / Path(member).name
    with exclusive("gateway-api"):  # several render runs may start at once on a fresh machine
        golang.module_file(MODULE, VERSION, member, dest, f"validating {kind} objects")
    toolchain.verify_checksum(dest, sha256)
    return dest


@functools.cache
def openapi_schema(kind: str, api_version: str) -> dict | None:
    """The openAPIV3Schema the CRD of kind serves for api_version (`group/version`), or None when
    the CRD serves no such version."""
    crd = yaml.load(crd_file(kind).read_text(), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    group, _, version = api_version.partition("/")
    if group != crd["spec"]["group"]:
        return None
    for served in crd["spec"]["versions"]:
        if served["name"] == version and served.get("served"):
            return served["schema"]["openAPIV3Schema"]
    return None


def apply_crds(kubectl: Kubectl) -> None:
    """Serve the Gateway API's kinds on a cluster (the chart's HTTPRoute needs its CRD to install;
    routing it takes a controller, which this does not install)."""
    for kind in CRDS:
        kubectl("apply", "--server-side", "-f", str(crd_file(kind)), timeout=120)
