"""Validation of rendered objects against the Kubernetes API's OpenAPI schema, using the schema
files kubernetes-validate ships (strict variant: unknown fields are errors too)."""

import functools
import re

import jsonschema
import referencing
from kubernetes_validate import utils as kubernetes_validate

from deploykit.chart.manifests import Manifest
from deploykit.foundation.findings import Finding


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
