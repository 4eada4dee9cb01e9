"""Checks across the objects of one rendering: what Services, Ingresses, disruption budgets,
autoscalers and helm hooks refer to exists and fits. Findings as in deploykit.chart.policy."""

import math
import re

from deploykit.chart.manifests import Manifest, Rendering
from deploykit.chart.policy import LONG_RUNNING_KINDS
from deploykit.foundation.findings import Finding


def _matches(selector: dict, labels: dict) -> bool:
    return bool(selector) and all(labels.get(k) == v for k, v in selector.items())


def selected_pod_owners(rendering: Rendering, selector: dict) -> list[Manifest]:
    return [m for m in rendering.pod_owners if m.kind in LONG_RUNNING_KINDS and _matches(selector, m.pod_labels)]


def service_findings(rendering: Rendering, service: Manifest) -> list[Finding]:
    """The selector picks exactly one workload's pods, and each targetPort is a port they declare."""
    selector = service.get("spec.selector") or {}
    owners = selected_pod_owners(rendering, selector)
    if len(owners) != 1:
        return [
            Finding(
                service.ref,
                "spec.selector",
                f"must select the pods of exactly one workload, selects {[o.ref for o in owners]}",
            )
        ]
    containers = owners[0].owner_pod_spec["containers"]
    declared = {p.get("name") for c in containers for p in c.get("ports", [])} | {
        p["containerPort"] for c in containers for p in c.get("ports", [])
    }
    return [
        Finding(
            service.ref,
            f"spec.ports[{port.get('name', port['port'])}].targetPort",
            f"{port.get('targetPort')!r} is not a port of {owners[0].ref}",
        )
        for port in service.get("spec.ports", [])
        if port.get("targetPort", port["port"]) not in declared
    ]


def ingress_findings(rendering: Rendering, ingress: Manifest) -> list[Finding]:
    """Every backend names a Service of the release and one of its ports."""
    findings = []
    for rule in ingress.get("spec.rules", []):
        for path in rule.get("http", {}).get("paths", []):
            backend = path["backend"]["service"]
            field = f"spec.rules[{rule.get('host')}].paths[{path.get('path')}].backend.service"
            services = rendering.select("Service", name=backend["name"])
            if not services:
                findings.append(Finding(ingress.ref, f"{field}.name", f"no Service {backend['name']!r} in the release"))
                continue
            ports = services[0].get("spec.ports", [])
            wanted = backend["port"].get("name") or backend["port"].get("number")
            if wanted not in {p.get("name") for p in ports} | {p["port"] for p in ports}:
                findings.append(Finding(ingress.ref, f"{field}.port", f"{wanted!r} is not a port of {services[0].ref}"))
    return findings


def fewest_replicas(rendering: Rendering, workload: Manifest) -> int:
    """The fewest pods a workload runs: its HPA's minReplicas when one targets it."""
    for hpa in rendering.select("HorizontalPodAutoscaler"):
        if hpa.get("spec.scaleTargetRef.name") == workload.name:
            return hpa.get("spec.minReplicas", 1)
    return workload.get("spec.replicas", 1)


def disruptions_allowed(budget: Manifest, replicas: int) -> int:
    """How many of `replicas` pods the budget lets an eviction take at once (Kubernetes rounds a
    percentage up, for maxUnavailable and minAvailable alike)."""

    def pods(value) -> int:
        if isinstance(value, str) and value.endswith("%"):
            return math.ceil(int(value[:-1]) * replicas / 100)
        return int(value)

    if budget.get("spec.maxUnavailable") is not None:
        return pods(budget.get("spec.maxUnavailable"))
    return replicas - pods(budget.get("spec.minAvailable", 1))


def disruption_budget_findings(rendering: Rendering, budget: Manifest) -> list[Finding]:
    """A PodDisruptionBudget guards a workload that runs more than one pod, or it blocks drains;
    at the fewest replicas it lets one pod go at a time at least, and leaves one serving."""
    owners = selected_pod_owners(rendering, budget.get("spec.selector.matchLabels") or {})
    if len(owners) != 1:
        return [
            Finding(budget.ref, "spec.selector", f"must select exactly one workload, selects {[o.ref for o in owners]}")
        ]
    replicas = fewest_replicas(rendering, owners[0])
    if replicas < 2:
        return [
            Finding(
                budget.ref,
                "spec",
                f"guards {owners[0].ref}, which may run only {replicas} pod: node drains would block",
            )
        ]
    allowed = disruptions_allowed(budget, replicas)
    if not 1 <= allowed < replicas:
        return [
            Finding(
                budget.ref,
                "spec",
                f"allows {allowed} of {replicas} pods of {owners[0].ref} to go at once: node drains would "
                + ("block" if allowed < 1 else "leave none serving"),
            )
        ]
    return []


def autoscaler_findings(rendering: Rendering, hpa: Manifest) -> list[Finding]:
    """The target exists and leaves replicas to the autoscaler (an upgrade would reset them)."""
    target = hpa.get("spec.scaleTargetRef") or {}
    found = rendering.select(target.get("kind"), name=target.get("name"))
    if not found:
        return [Finding(hpa.ref, "spec.scaleTargetRef", f"targets {target}, which the release does not render")]
    if "replicas" in found[0].get("spec", {}):
        return [Finding(found[0].ref, "spec.replicas", f"must be unset while {hpa.ref} owns the replica count")]
    return []


# -- helm hooks --------------------------------------------------------------------------------


def hook_weight_findings(manifest: Manifest) -> list[Finding]:
    """A hook states its weight as an integer string, so its order is explicit."""
    weight = manifest.hook_weight
    if weight is None or not re.fullmatch(r"-?\d+", weight):
        return [
            Finding(
                manifest.ref, "metadata.annotations.helm.sh/hook-weight", f"must be an integer string, got {weight!r}"
            )
        ]
    return []


def hook_order(rendering: Rendering, phase: str) -> list[str]:
    """Names of the hooks of one phase in the order helm runs them: by weight, then by name."""
    hooks = [m for m in rendering if phase in m.hook_phases]
    return [m.name for m in sorted(hooks, key=lambda m: (int(m.hook_weight or 0), m.name))]


def pre_install_prerequisite_findings(rendering: Rendering, hook: Manifest) -> list[Finding]:
    """A pre-install hook runs before the release's ordinary objects exist, so it must not read
    a ConfigMap, Secret, ServiceAccount or claim that the release itself creates."""
    if "pre-install" not in hook.hook_phases:
        return []
    created = {(m.kind, m.name) for m in rendering if not m.hook_phases}
    findings = []
    for kind, name, field in _pod_references(hook):
        if (kind, name) in created:
            findings.append(Finding(hook.ref, field, f"reads {kind}/{name}, which does not exist before install"))
    return findings


def _pod_references(manifest: Manifest):
    """(kind, name, field) for every object a pod spec reads by name."""
    spec, base = manifest.owner_pod_spec, manifest.pod_spec_path
    if spec.get("serviceAccountName"):
        yield "ServiceAccount", spec["serviceAccountName"], f"{base}.serviceAccountName"
    for volume in spec.get("volumes", []):
        if "secret" in volume:
            yield "Secret", volume["secret"]["secretName"], f"{base}.volumes[{volume['name']}]"
        if "configMap" in volume:
            yield "ConfigMap", volume["configMap"]["name"], f"{base}.volumes[{volume['name']}]"
        if "persistentVolumeClaim" in volume:
            yield (
                "PersistentVolumeClaim",
                volume["persistentVolumeClaim"]["claimName"],
                f"{base}.volumes[{volume['name']}]",
            )
    for container in spec.get("initContainers", []) + spec.get("containers", []):
        path = f"{base}.containers[{container['name']}]"
        for source in container.get("envFrom", []):
            for key, kind in (("secretRef", "Secret"), ("configMapRef", "ConfigMap")):
                if key in source:
                    yield kind, source[key]["name"], f"{path}.envFrom"
        for env in container.get("env", []):
            value_from = env.get("valueFrom") or {}
            for key, kind in (("secretKeyRef", "Secret"), ("configMapKeyRef", "ConfigMap")):
                if key in value_from:
                    yield kind, value_from[key]["name"], f"{path}.env[{env['name']}]"
