"""Generate and review manifests without AI. The chart is the generator: `helm template` with a
values file prints what an install would create. The review is the project's own policy (the
checks the render layer runs on the chart, deploykit.chart.policy and .relations) followed by the API
server's verdict on a server-side dry run, which also catches what only the cluster knows."""

from pathlib import Path

import yaml

from deploykit.chart import manifests, policy, relations, routes
from deploykit.chart.manifests import Manifest, Rendering
from deploykit.foundation import paths
from deploykit.foundation.errors import DeploykitError
from deploykit.tools.helm import Helm
from deploykit.tools.kubectl import Kubectl

VALUES_FILES: dict[str, Path | None] = {
    "local": paths.CHART / "values-local.yaml",
    "production": paths.CHART / "values-production.yaml",
    "default": None,  # the chart's values.yaml alone
}


def render(helm: Helm, release: str, namespace: str, values: str) -> str:
    values_file = VALUES_FILES[values]
    files = [values_file] if values_file else []
    return helm.template(paths.CHART, release, namespace=namespace, values=files)


def read(manifest_file: Path) -> str:
    try:
        return manifest_file.read_text()
    except OSError as error:
        raise DeploykitError(f"cannot read the manifest {manifest_file}: {error.strerror}") from None


def as_yaml(chosen: list[Manifest]) -> str:
    """The objects as one multi-document YAML stream, each under the template it came from."""
    return "".join(f"---\n# Source: {m.source}\n" + yaml.safe_dump(m.body, sort_keys=False) for m in chosen)


def generate(helm: Helm, release: str, namespace: str, values: str, component: str | None) -> str:
    rendering = manifests.parse(render(helm, release, namespace, values))
    chosen = [m for m in rendering if component is None or m.component == component]
    if not chosen:
        raise DeploykitError(f"the chart renders no object of component {component!r} with values {values}")
    return as_yaml(chosen)


def _container_findings(manifest: Manifest, container: dict) -> list[policy.Finding]:
    found = [f for rule in policy.CONTAINER_RULES.values() for f in rule(manifest, container)]
    if manifest.kind in policy.LONG_RUNNING_KINDS:
        found += [f for probe in policy.PROBES for f in policy.probe_findings(manifest, container, probe)]
    if manifest.kind == "Deployment":
        found += policy.shutdown_findings(manifest, container)
    return found


def policy_findings(rendering: Rendering) -> list[policy.Finding]:
    """Every policy finding of every object, as the render layer would report them."""
    found = [f for m in rendering for f in policy.label_findings(m)]
    for manifest in rendering.pod_owners:
        found += policy.token_findings(manifest)
        found += [f for c in manifest.owner_pod_spec.get("containers", []) for f in _container_findings(manifest, c)]
        if manifest.kind in policy.LONG_RUNNING_KINDS:
            found += policy.rolling_update_findings(manifest) + policy.selector_findings(manifest)
    for service in rendering.select("Service"):
        found += policy.selector_findings(service) + relations.service_findings(rendering, service)
    for route in (m for m in rendering if m.kind in routes.ROUTE_KINDS):
        found += routes.route_findings(rendering, route)
    return found


def server_dry_run(kubectl: Kubectl, text: str, namespace: str) -> str:
    """The API server's answer to applying `text` without persisting it (admission, schema and
    immutable fields included); a missing namespace or cluster is said in one line."""
    try:
        found = kubectl("get", "namespace", namespace, check=False, timeout=20)
        if "NotFound" in found.stderr:
            return (f"server-side dry run skipped: namespace {namespace} does not exist "
                    f"(kubectl create namespace {namespace}, or choose one with --namespace)\n")
        if not found.succeeded:
            return f"server-side dry run skipped: no cluster answered ({found.stderr.strip()[-200:]})\n"
        # Server-side apply: no last-applied annotation is needed on objects helm created, and
        # --force-conflicts lets the dry run take fields helm manages, as an upgrade would.
        result = kubectl("apply", "--server-side", "--force-conflicts", "--dry-run=server", "-n", namespace,
                         "-f", "-", input=text, check=False)
    except DeploykitError as error:
        return f"server-side dry run skipped: {error}\n"
    verdict = "accepted" if result.succeeded else f"REJECTED (exit {result.returncode})"
    accepted = len(result.stdout.splitlines())
    return f"server-side dry run in namespace {namespace}: {verdict}, {accepted} object(s) accepted\n{result.stderr}"


def review(helm: Helm, kubectl: Kubectl, release: str, namespace: str, values: str,
           manifest_file: Path | None = None) -> str:
    """Policy findings and the server's dry-run verdict for a manifest file, or for the chart."""
    text = read(manifest_file) if manifest_file else render(helm, release, namespace, values)
    subject = str(manifest_file) if manifest_file else f"the chart with values {values}"
    try:
        rendering = manifests.parse(text)
    except yaml.YAMLError as error:
        raise DeploykitError(f"{subject} is not valid YAML: {error}") from None
    findings = policy_findings(rendering)
    lines = [f"Review of {subject}: {len(rendering.manifests)} object(s), {len(findings)} policy finding(s)"]
    lines += [f"  - {finding}" for finding in findings]
    return "\n".join(lines) + "\n\n" + server_dry_run(kubectl, text, namespace)
