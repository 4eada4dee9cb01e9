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
# The standard channel's CRDs by kind: path in the module, sha256 of the file at VERSION. The
# chart needs HTTPRoute; a controller (deploykit.edge's Traefik) watches every kind listed.
CRDS = {kind: (f"config/crd/standard/{GROUP}_{plural}.yaml", sha256) for kind, plural, sha256 in (
    ("HTTPRoute", "httproutes", "ac4c1e0ad475793728a3c599cdac602cc658a633787a2fa568339e98aae93674"),
    ("GatewayClass", "gatewayclasses", "84948a7ebe77da1af85a0520898581eb218eb7a182acea28280382148110b3e6"),
    ("Gateway", "gateways", "b6f98824499cc97c358e2db4417487abbd2d4bc02bd9452443fe1f5bbcacfcf3"),
    ("GRPCRoute", "grpcroutes", "a7192ef99b2ae3ad227c67c304e921ce05e5fea911da277e62d728c0d6249127"),
    ("ReferenceGrant", "referencegrants", "47f253203460cfd0d38fb1ba5915cf6f95f04e77b5c4981a4b5941005c472c80"),
    ("BackendTLSPolicy", "backendtlspolicies", "2d6093910adab97984bdac9fd203896b300561ad2a8ff87701badc4d83932352"),
    ("TLSRoute", "tlsroutes", "ffc229641d19df316a4db635e2e13757cb8f4886802f8db80ffb8858bb8ed297"),
)}
CHART_KINDS = ("HTTPRoute",)


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


def apply_crds(kubectl: Kubectl, kinds=CHART_KINDS) -> None:
    """Serve the Gateway API's kinds on a cluster: by default the chart's (its HTTPRoute needs its
    CRD to install); a controller needs every kind it watches (CRDS)."""
    for kind in kinds:
        kubectl("apply", "--server-side", "-f", str(crd_file(kind)), timeout=120)
