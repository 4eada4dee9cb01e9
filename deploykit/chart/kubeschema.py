"""Validation of rendered objects against the Kubernetes API's OpenAPI schema, using the schema
files kubernetes-validate ships (strict variant: unknown fields are errors too), and of Gateway
API objects against their CRD's openAPIV3Schema (deploykit.tools.gatewayapi), made strict the same
way. Neither checks the CEL rules (x-kubernetes-validations) only the API server evaluates."""

import copy
import functools
import re

import jsonschema
import referencing
from kubernetes_validate import utils as kubernetes_validate

from deploykit.chart.manifests import Manifest
from deploykit.foundation.findings import Finding
from deploykit.tools import gatewayapi


def schema_findings(manifest: Manifest, kube_version: str) -> list[Finding]:
    """Where the object breaks the Kubernetes API schema of kube_version, one finding per error."""
    try:
        validator = _validator(manifest.body["apiVersion"], manifest.kind, kube_version)
    except kubernetes_validate.SchemaNotFoundError as missing:
        return [Finding(manifest.ref, "apiVersion", missing.message)]
    return [
        Finding(manifest.ref, ".".join(map(str, error.absolute_path)) or "(object)", error.message)
        for error in sorted(validator.iter_errors(manifest.body), key=lambda e: list(map(str, e.absolute_path)))
    ]


def schema_version(kube_version: str) -> str:
    """The schema version kubernetes-validate uses for kube_version: the newest not above it."""
    wanted = kubernetes_validate.major_minor(kube_version)
    candidates = [
        v
        for v in kubernetes_validate.all_versions()
        if tuple(map(int, kubernetes_validate.major_minor(v).split("."))) <= tuple(map(int, wanted.split(".")))
    ]
    if not candidates:
        raise kubernetes_validate.VersionNotSupportedError(kube_version)
    return candidates[-1]


@functools.cache
def _validator(api_version: str, kind: str, kube_version: str) -> jsonschema.Draft202012Validator:
    if api_version.startswith(f"{gatewayapi.GROUP}/") and kind in gatewayapi.CRDS:
        schema = gatewayapi.openapi_schema(kind, api_version)
        if schema is None:
            raise kubernetes_validate.SchemaNotFoundError(kind, gatewayapi.VERSION, api_version)
        return jsonschema.Draft202012Validator(_strict(schema))
    # kubernetes_validate.validate() re-reads the 1.5 MB definitions file on every call (~50 ms);
    # the same schema files, loaded once per kind, validate a whole rendering in milliseconds.
    directory = f"kubernetes-json-schema/v{schema_version(kube_version)}-local-strict"
    group_version = re.sub(r"^([^./]*)(?:\.[^/]*)?/", r"\1-", api_version)
    try:
        schema = kubernetes_validate.schema_contents(f"{directory}/{kind.lower()}-{group_version}.json", kube_version)
    except FileNotFoundError:
        raise kubernetes_validate.SchemaNotFoundError(kind, kube_version, api_version) from None
    return jsonschema.Draft202012Validator(schema, registry=_definitions(directory, kube_version))


@functools.cache
def _definitions(directory: str, kube_version: str) -> referencing.Registry:
    """A registry holding the shared definitions every kind's schema refers to by its $id."""
    definitions = kubernetes_validate.schema_contents(f"{directory}/_definitions.json", kube_version)
    return referencing.Resource.from_contents(definitions) @ referencing.Registry()


def _strict(schema: dict) -> dict:
    """A copy of a CRD schema in which every object that lists its properties refuses others, as
    kubernetes-validate's strict variant does (and the API server's strict field validation)."""
    schema = copy.deepcopy(schema)

    def close(node) -> None:
        if isinstance(node, list):
            for item in node:
                close(item)
            return
        if not isinstance(node, dict):
            return
        if (
            "properties" in node
            and "additionalProperties" not in node
            and not node.get("x-kubernetes-preserve-unknown-fields")
        ):
            node["additionalProperties"] = False
        for value in node.values():
            close(value)

    close(schema)
    return schema
