"""Policy checks on single rendered objects: the securityContext list, resources, images,
probes, shutdown, rollout strategy and labels. Every check returns findings as data (an empty
list when the object complies); tests turn each finding into a failure that names the object and
the field, so one broken field is one failing test id. Checks across objects live in
deploykit.chart.relations, API schema validation in deploykit.chart.kubeschema.
"""

from collections.abc import Callable

from deploykit.chart import quantities
from deploykit.chart.manifests import VOLATILE_LABELS, Manifest
from deploykit.chart.timing import GRACE_MARGIN_SECONDS, server_drain
from deploykit.foundation.constants import COMPONENT_LABEL, RECOMMENDED_LABELS
from deploykit.foundation.findings import Finding

LONG_RUNNING_KINDS = ("Deployment", "StatefulSet", "DaemonSet")


ContainerRule = Callable[[Manifest, dict], list[Finding]]


def containers(manifest: Manifest) -> list[dict]:
    """Every container of a pod owner, init containers first: they run with the same node and the
    same privileges as the others, so every container rule applies to them too."""
    spec = manifest.owner_pod_spec
    return [*spec.get("initContainers", []), *spec.get("containers", [])]


def _container_path(manifest: Manifest, container: dict) -> str:
    init = any(c["name"] == container["name"] for c in manifest.owner_pod_spec.get("initContainers", []))
    return f"{manifest.pod_spec_path}.{'initContainers' if init else 'containers'}[{container['name']}]"


def _effective(manifest: Manifest, container: dict, key: str):
    """A security setting as the kubelet applies it: the container's, else the pod's."""
    own = (container.get("securityContext") or {}).get(key)
    return own if own is not None else (manifest.owner_pod_spec.get("securityContext") or {}).get(key)


def _require(manifest, container, field, ok, problem) -> list[Finding]:
    return [] if ok else [Finding(manifest.ref, f"{_container_path(manifest, container)}.{field}", problem)]


# -- container rules: the securityContext list, resources, images ------------------------------


def run_as_non_root_findings(manifest: Manifest, container: dict) -> list[Finding]:
    return _require(
        manifest,
        container,
        "securityContext.runAsNonRoot",
        _effective(manifest, container, "runAsNonRoot") is True,
        "must be true (set on the container or the pod)",
    )


def run_as_numeric_user_findings(manifest: Manifest, container: dict) -> list[Finding]:
    uid = _effective(manifest, container, "runAsUser")
    return _require(
        manifest,
        container,
        "securityContext.runAsUser",
        isinstance(uid, int) and uid > 0,
        f"must be a non-zero UID so the kubelet can verify non-root, got {uid!r}",
    )


def read_only_root_filesystem_findings(manifest: Manifest, container: dict) -> list[Finding]:
    value = (container.get("securityContext") or {}).get("readOnlyRootFilesystem")
    return _require(
        manifest, container, "securityContext.readOnlyRootFilesystem", value is True, f"must be true, got {value!r}"
    )


def no_privilege_escalation_findings(manifest: Manifest, container: dict) -> list[Finding]:
    value = (container.get("securityContext") or {}).get("allowPrivilegeEscalation")
    return _require(
        manifest, container, "securityContext.allowPrivilegeEscalation", value is False, f"must be false, got {value!r}"
    )


def unprivileged_findings(manifest: Manifest, container: dict) -> list[Finding]:
    """A privileged container is root on the node whatever its user: every other setting here is moot."""
    value = (container.get("securityContext") or {}).get("privileged")
    return _require(
        manifest, container, "securityContext.privileged", value is not True, f"must be false or unset, got {value!r}"
    )


def capabilities_dropped_findings(manifest: Manifest, container: dict) -> list[Finding]:
    capabilities = (container.get("securityContext") or {}).get("capabilities") or {}
    return _require(
        manifest,
        container,
        "securityContext.capabilities",
        capabilities.get("drop") == ["ALL"] and not capabilities.get("add"),
        f"must drop [ALL] and add nothing, got {capabilities!r}",
    )


def seccomp_runtime_default_findings(manifest: Manifest, container: dict) -> list[Finding]:
    profile = (_effective(manifest, container, "seccompProfile") or {}).get("type")
    return _require(
        manifest,
        container,
        "securityContext.seccompProfile.type",
        profile in ("RuntimeDefault", "Localhost"),
        f"must be RuntimeDefault (on the container or the pod), got {profile!r}",
    )


def requests_set_findings(manifest: Manifest, container: dict) -> list[Finding]:
    requests = (container.get("resources") or {}).get("requests") or {}
    missing = [r for r in ("cpu", "memory") if r not in requests]
    return _require(
        manifest,
        container,
        "resources.requests",
        not missing,
        f"must set {' and '.join(missing)}: the scheduler places pods by requests",
    )


def limits_set_findings(manifest: Manifest, container: dict) -> list[Finding]:
    limits = (container.get("resources") or {}).get("limits") or {}
    missing = [r for r in ("cpu", "memory") if r not in limits]
    return _require(
        manifest,
        container,
        "resources.limits",
        not missing,
        f"must set {' and '.join(missing)}: one runaway pod must not starve the node",
    )


def _resources_rule(check: quantities.ResourcesCheck) -> ContainerRule:
    """A deploykit.chart.quantities check as a container rule, on the container's resources."""

    def rule(manifest: Manifest, container: dict) -> list[Finding]:
        path = f"{_container_path(manifest, container)}.resources"
        return check(manifest.ref, path, container.get("resources") or {})

    return rule


def image_pinned_findings(manifest: Manifest, container: dict) -> list[Finding]:
    image = container.get("image", "")
    name, _, digest = image.partition("@")
    tag = name.rsplit(":", 1)[1] if ":" in name.rsplit("/", 1)[-1] else ""
    ok = bool(digest) or (tag and tag != "latest")
    return _require(
        manifest, container, "image", ok, f"{image!r} must name a version tag or a digest, never latest or nothing"
    )


def pull_policy_explicit_findings(manifest: Manifest, container: dict) -> list[Finding]:
    policy = container.get("imagePullPolicy")
    return _require(
        manifest,
        container,
        "imagePullPolicy",
        policy in ("Always", "IfNotPresent", "Never"),
        f"must be set explicitly (the default depends on the tag), got {policy!r}",
    )


CONTAINER_RULES: dict[str, ContainerRule] = {
    "runAsNonRoot": run_as_non_root_findings,
    "runAsUser": run_as_numeric_user_findings,
    "readOnlyRootFilesystem": read_only_root_filesystem_findings,
    "allowPrivilegeEscalation": no_privilege_escalation_findings,
    "privileged": unprivileged_findings,
    "capabilities": capabilities_dropped_findings,
    "seccompProfile": seccomp_runtime_default_findings,
    "requests": requests_set_findings,
    "limits": limits_set_findings,
    **{name: _resources_rule(check) for name, check in quantities.CHECKS.items()},
    "image": image_pinned_findings,
    "imagePullPolicy": pull_policy_explicit_findings,
}


# -- probes and shutdown of long-running containers ------------------------------------------

PROBES = ("startupProbe", "livenessProbe", "readinessProbe")


def probe_findings(manifest: Manifest, container: dict, probe: str) -> list[Finding]:
    """The probe exists, and a network probe targets a port the container declares."""
    field = f"{_container_path(manifest, container)}.{probe}"
    spec = container.get(probe)
    if not spec:
        return [Finding(manifest.ref, field, "missing")]
    handler = spec.get("httpGet") or spec.get("tcpSocket") or spec.get("grpc")
    if handler is None:
        return []  # an exec probe runs inside the container: no port to match
    port = handler.get("port")
    declared = {p.get("name") for p in container.get("ports", [])} | {
        p["containerPort"] for p in container.get("ports", [])
    }
    if port not in declared:
        return [
            Finding(
                manifest.ref,
                f"{field}.port",
                f"{port!r} is not a port the container declares ({sorted(map(str, declared))})",
            )
        ]
    return []


def probe_timing_findings(manifest: Manifest, container: dict) -> list[Finding]:
    """Readiness acts before liveness: a pod that stops answering leaves the Service's endpoints
    before the kubelet restarts it, and liveness checks no more often than readiness. Each check
    gives up before the next one is due."""
    path = _container_path(manifest, container)
    probes = {probe: container.get(probe) or {} for probe in ("livenessProbe", "readinessProbe")}
    findings = [
        Finding(manifest.ref, f"{path}.{probe}.timeoutSeconds", f"{spec.get('timeoutSeconds', 1)} s must be under "
                f"the period of {spec.get('periodSeconds', 10)} s")
        for probe, spec in probes.items()
        if spec.get("timeoutSeconds", 1) >= spec.get("periodSeconds", 10)
    ]

    def acts_after(spec: dict) -> int:
        return spec.get("periodSeconds", 10) * spec.get("failureThreshold", 3)

    liveness, readiness = probes["livenessProbe"], probes["readinessProbe"]
    if not acts_after(readiness) < acts_after(liveness):
        findings.append(Finding(manifest.ref, f"{path}.livenessProbe", f"restarts after {acts_after(liveness)} s, "
                                f"not later than readiness takes the pod out of service ({acts_after(readiness)} s)"))
    if liveness.get("periodSeconds", 10) < readiness.get("periodSeconds", 10):
        findings.append(Finding(manifest.ref, f"{path}.livenessProbe.periodSeconds",
                                "must be no shorter than readiness's: liveness is the slower, heavier check"))
    return findings


def shutdown_findings(manifest: Manifest, container: dict, drain_seconds: float | None = None) -> list[Finding]:
    """A preStop pause exists and the grace period covers it, the drain and a margin. The drain is
    the component's server's default, read from its code (deploykit.chart.timing), unless given."""
    pre_stop = (container.get("lifecycle") or {}).get("preStop") or {}
    if "sleep" in pre_stop:
        pause = pre_stop["sleep"].get("seconds", 0)
    elif pre_stop.get("exec", {}).get("command", [""])[0].endswith("sleep"):
        pause = int(pre_stop["exec"]["command"][-1])
    else:
        return [
            Finding(
                manifest.ref,
                f"{_container_path(manifest, container)}.lifecycle.preStop",
                "must pause (sleep) so endpoint removal propagates before the stop signal",
            )
        ]
    grace = manifest.owner_pod_spec.get("terminationGracePeriodSeconds", 30)
    if drain_seconds is None:  # an unbounded drain is timing.shutdown_chain_findings' to report
        drain_seconds = server_drain(manifest.component).default_seconds or 0
    needed = pause + drain_seconds + GRACE_MARGIN_SECONDS
    if grace < needed:
        return [
            Finding(
                manifest.ref,
                f"{manifest.pod_spec_path}.terminationGracePeriodSeconds",
                f"{grace} s does not cover preStop {pause} s + drain {drain_seconds} s "
                f"+ margin {GRACE_MARGIN_SECONDS} s = {needed} s",
            )
        ]
    return []


# -- workload shape ------------------------------------------------------------------------------


def rolling_update_findings(manifest: Manifest) -> list[Finding]:
    """Deployments surge one pod and never go below the desired count; StatefulSets roll."""
    if manifest.kind == "StatefulSet":
        kind = manifest.get("spec.updateStrategy.type", "RollingUpdate")
        ok = kind == "RollingUpdate"
        return [] if ok else [Finding(manifest.ref, "spec.updateStrategy.type", f"must be RollingUpdate, got {kind!r}")]
    strategy = manifest.get("spec.strategy") or {}
    expected = {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 1, "maxUnavailable": 0}}
    if strategy != expected:
        return [Finding(manifest.ref, "spec.strategy", f"must be {expected}, got {strategy}")]
    return []


def token_findings(manifest: Manifest) -> list[Finding]:
    value = manifest.owner_pod_spec.get("automountServiceAccountToken")
    if value is not False:
        return [
            Finding(
                manifest.ref,
                f"{manifest.pod_spec_path}.automountServiceAccountToken",
                f"must be false: no component calls the Kubernetes API, got {value!r}",
            )
        ]
    return []


# Pod fields that, true, give the pod the node's own namespace.
HOST_NAMESPACES = ("hostNetwork", "hostPID", "hostIPC")


def host_access_findings(manifest: Manifest) -> list[Finding]:
    """No pod shares the node's network, processes, IPC or files: a hook or test pod on the host
    network sees every other pod's traffic on the node."""
    spec, base = manifest.owner_pod_spec, manifest.pod_spec_path
    findings = [
        Finding(manifest.ref, f"{base}.{field}", "must be unset: it shares the node's namespace with the pod")
        for field in HOST_NAMESPACES
        if spec.get(field) is True
    ]
    findings += [
        Finding(manifest.ref, f"{base}.volumes[{volume['name']}].hostPath", "mounts the node's files into the pod")
        for volume in spec.get("volumes", [])
        if "hostPath" in volume
    ]
    return findings


def label_findings(manifest: Manifest) -> list[Finding]:
    """The recommended labels, non-empty, on the object and, for pod owners, on its pods; pod
    owners and their pods carry the component too."""
    wanted = (*RECOMMENDED_LABELS, COMPONENT_LABEL) if manifest.pod_spec_path else RECOMMENDED_LABELS
    findings = [
        Finding(manifest.ref, f"metadata.labels.{label}", "missing or empty")
        for label in wanted
        if not manifest.labels.get(label)
    ]
    if manifest.pod_spec_path and manifest.kind != "Pod":
        findings += [
            Finding(manifest.ref, f"pod template labels.{label}", "missing or empty")
            for label in wanted
            if not manifest.pod_labels.get(label)
        ]
    return findings


def claim_template_findings(manifest: Manifest) -> list[Finding]:
    """A StatefulSet's volumeClaimTemplates are immutable: a label that changes with each chart or
    app version there (helm.sh/chart, app.kubernetes.io/version) makes the next upgrade fail."""
    findings = []
    for index, template in enumerate(manifest.get("spec.volumeClaimTemplates") or []):
        for label in sorted(set((template.get("metadata") or {}).get("labels") or {}) & set(VOLATILE_LABELS)):
            findings.append(Finding(manifest.ref, f"spec.volumeClaimTemplates[{index}].metadata.labels.{label}",
                                    "changes with every release, but the field is immutable: the next helm "
                                    "upgrade fails; label claims with the selector labels only"))
    return findings


def selector_findings(manifest: Manifest) -> list[Finding]:
    """A selector without the component would also match the release's other components."""
    path = "spec.selector" if manifest.kind == "Service" else "spec.selector.matchLabels"
    selector = manifest.get(path) or {}
    if COMPONENT_LABEL not in selector:
        return [
            Finding(manifest.ref, f"{path}.{COMPONENT_LABEL}", "missing: the selector would match other components")
        ]
    return []
