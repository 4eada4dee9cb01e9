"""The app Secret `make up` gives a release: JWT_SECRET, and the user's OPENAI_API_KEY (with
OPENAI_BASE_URL and OPENAI_MODEL when set) taken from the environment. The chart reads it as
`secrets.existingSecret`. The values travel to the cluster only on kubectl's standard input: never
on a command line (the process list) nor in a values file on disk.

The Secret mirrors the environment at each `make up`: a key unset there is removed here, so
without OPENAI_API_KEY the chat panel says what to set. JWT_SECRET is kept across runs (taken
over from the chart's own Secret the first time), so signed-in users stay signed in."""

import base64
import json
import secrets
from collections.abc import Mapping

from deploykit.foundation.constants import selector
from deploykit.foundation.errors import ClusterOperationFailed
from deploykit.tools.kubectl import Kubectl

OPENAI_VARIABLES = ("OPENAI_API_KEY", "OPENAI_BASE_URL", "OPENAI_MODEL")
JWT_KEY = "JWT_SECRET"
MANAGED_BY = {"app.kubernetes.io/managed-by": "deploykit"}


def secret_name(release: str) -> str:
    return f"{release}-app"


def openai_settings(environ: Mapping[str, str]) -> dict[str, str]:
    """The OPENAI_* variables set (non-empty) in environ."""
    return {name: environ[name].strip() for name in OPENAI_VARIABLES if environ.get(name, "").strip()}


def secret_data(openai: Mapping[str, str], current: Mapping[str, str], inherited_jwt: str | None = None) -> dict:
    """What the Secret should hold: the JWT key it has (or the chart's, or a new one) and openai."""
    jwt = current.get(JWT_KEY) or inherited_jwt or secrets.token_urlsafe(36)
    return {JWT_KEY: jwt, **openai}


def manifest(name: str, namespace: str, data: Mapping[str, str]) -> str:
    """The namespace (helm would create it only later) and the Secret, as one List for kubectl apply."""
    encoded = {key: base64.b64encode(value.encode()).decode() for key, value in data.items()}
    items = [
        {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": namespace}},
        {"apiVersion": "v1", "kind": "Secret", "type": "Opaque",
         "metadata": {"name": name, "namespace": namespace, "labels": MANAGED_BY}, "data": encoded},
    ]
    return json.dumps({"apiVersion": "v1", "kind": "List", "items": items})


def _decoded(secret: dict) -> dict[str, str]:
    return {key: base64.b64decode(value).decode() for key, value in (secret.get("data") or {}).items()}


def read_secret(kubectl: Kubectl, name: str, namespace: str) -> dict[str, str]:
    """The Secret's data, decoded; empty when there is no such Secret (or namespace)."""
    result = kubectl("get", "secret", name, "-n", namespace, "-o", "json", check=False)
    if result.succeeded:
        return _decoded(json.loads(result.stdout))
    if "NotFound" in result.stderr:
        return {}
    raise ClusterOperationFailed(f"reading Secret {name} in {namespace} failed: {result.stderr.strip()}")


def chart_jwt_secret(kubectl: Kubectl, release: str, namespace: str) -> str | None:
    """JWT_SECRET from the chart's own Secret of the release, if an earlier install made one."""
    result = kubectl("get", "secret", "-n", namespace, "-l", selector(release), "-o", "json", check=False)
    if not result.succeeded:
        return None
    for item in json.loads(result.stdout).get("items", []):
        jwt = _decoded(item).get(JWT_KEY)
        if jwt:
            return jwt
    return None


def apply(kubectl: Kubectl, release: str, namespace: str, environ: Mapping[str, str]) -> bool:
    """Create or update the release's app Secret from environ; whether its content changed."""
    name = secret_name(release)
    current = read_secret(kubectl, name, namespace)
    inherited = None if current.get(JWT_KEY) else chart_jwt_secret(kubectl, release, namespace)
    wanted = secret_data(openai_settings(environ), current, inherited)
    if wanted == current:
        return False
    kubectl.apply(manifest(name, namespace, wanted))
    return True
