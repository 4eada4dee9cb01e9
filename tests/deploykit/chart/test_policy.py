"""deploykit.chart.policy, .relations and .kubeschema: each check passes a compliant object and reports
a broken one, naming the object and the field, so the chart checks built on them can fail."""

import copy

import pytest

from deploykit.chart import kubeschema, manifests, policy, relations

COMPLIANT_CONTAINER = {
    "name": "app",
    "image": "registry.local/app:1.2.3",
    "imagePullPolicy": "IfNotPresent",
    "ports": [{"name": "http", "containerPort": 8000}],
    "startupProbe": {"httpGet": {"path": "/healthz", "port": "http"}},
    "livenessProbe": {"httpGet": {"path": "/healthz", "port": "http"}},
    "readinessProbe": {"httpGet": {"path": "/readyz", "port": 8000}},
    "lifecycle": {"preStop": {"sleep": {"seconds": 5}}},
    "resources": {"requests": {"cpu": "100m", "memory": "64Mi"}, "limits": {"cpu": "1", "memory": "128Mi"}},
    "securityContext": {
        "runAsNonRoot": True,
        "runAsUser": 10001,
        "readOnlyRootFilesystem": True,
        "allowPrivilegeEscalation": False,
        "capabilities": {"drop": ["ALL"]},
    },
}
LABELS = dict.fromkeys(policy.RECOMMENDED_LABELS, "x")
SELECTOR = {"app.kubernetes.io/name": "app", "app.kubernetes.io/component": "api"}


def deployment(container=None, **spec) -> manifests.Manifest:
    return manifests.Manifest(
        {
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": {"name": "api", "labels": {**LABELS, "app.kubernetes.io/component": "api"}},
            "spec": {
                "replicas": 2,
                "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 1, "maxUnavailable": 0}},
                "selector": {"matchLabels": SELECTOR},
                "template": {
                    "metadata": {"labels": {**LABELS, **SELECTOR}},
                    "spec": {
                        "automountServiceAccountToken": False,
                        "terminationGracePeriodSeconds": 30,
                        "securityContext": {"seccompProfile": {"type": "RuntimeDefault"}},
                        "containers": [container or copy.deepcopy(COMPLIANT_CONTAINER)],
                    },
                },
                **spec,
            },
        }
    )


def broken(path: str, value) -> dict:
    """COMPLIANT_CONTAINER with one field (a dotted path) set to value, or removed if value is None."""
    container = copy.deepcopy(COMPLIANT_CONTAINER)
    *parents, key = path.split(".")
    node = container
    for parent in parents:
        node = node[parent]
    if value is None:
        node.pop(key)
    else:
        node[key] = value
    return container


BROKEN_CONTAINERS = {
    "runAsNonRoot": broken("securityContext.runAsNonRoot", False),
    "runAsUser": broken("securityContext.runAsUser", 0),
    "readOnlyRootFilesystem": broken("securityContext.readOnlyRootFilesystem", None),
    "allowPrivilegeEscalation": broken("securityContext.allowPrivilegeEscalation", True),
    "privileged": broken("securityContext.privileged", True),
    "capabilities": broken("securityContext.capabilities", {"drop": ["ALL"], "add": ["NET_ADMIN"]}),
    "seccompProfile": broken("securityContext.seccompProfile", {"type": "Unconfined"}),
    "requests": broken("resources.requests", {"cpu": "100m"}),
    "limits": broken("resources.limits", None),
    "resourceQuantities": broken("resources.limits", {"cpu": "1", "memory": "128m"}),
    "requestsWithinLimits": broken("resources.limits", {"cpu": "10m", "memory": "128Mi"}),
    "resourceUnits": broken("resources.limits", {"cpu": "1", "memory": "128M"}),
    "image": broken("image", "registry.local:5000/app:latest"),
    "imagePullPolicy": broken("imagePullPolicy", None),
}


@pytest.mark.parametrize("rule", policy.CONTAINER_RULES)
def test_passes_compliant_container(rule):
    subject = deployment()
    assert policy.CONTAINER_RULES[rule](subject, subject.pod_spec["containers"][0]) == []


@pytest.mark.parametrize("rule", policy.CONTAINER_RULES)
def test_reports_broken_container_field(rule):
    subject = deployment(BROKEN_CONTAINERS[rule])
    findings = policy.CONTAINER_RULES[rule](subject, subject.pod_spec["containers"][0])
    assert len(findings) == 1
    assert str(findings[0]).startswith("Deployment/api spec.template.spec.containers[app].")


def test_reports_privileged_helm_test_pod_and_its_init_container():
    """A hook or `helm test` pod is held to the same rules as the workloads, init containers too."""
    check = broken("securityContext.allowPrivilegeEscalation", True)
    check["name"] = "check"
    check["securityContext"]["privileged"] = True
    setup = {**broken("resources.limits", {"cpu": "1", "memory": "64Mi"}), "name": "setup"}
    setup["resources"]["requests"]["memory"] = "128Mi"
    pod = manifests.Manifest(
        {
            "kind": "Pod",
            "metadata": {"name": "todo-test-database", "annotations": {"helm.sh/hook": "test"}},
            "spec": {
                "securityContext": {"seccompProfile": {"type": "RuntimeDefault"}},
                "initContainers": [setup],
                "containers": [check],
            },
        }
    )
    found = [str(f) for rule in policy.CONTAINER_RULES.values() for c in policy.containers(pod) for f in rule(pod, c)]
    check_path = "Pod/todo-test-database spec.containers[check].securityContext"
    assert found == [
        f"{check_path}.allowPrivilegeEscalation: must be false, got True",
        f"{check_path}.privileged: must be false or unset, got True",
        "Pod/todo-test-database spec.initContainers[setup].resources.requests.memory: '128Mi' (134217728) is above "
        "the limit '64Mi' (67108864): the API server rejects the pod",
    ], found


def test_reports_pod_sharing_the_node():
    subject = deployment()
    subject.pod_spec.update(hostNetwork=True, volumes=[{"name": "docker", "hostPath": {"path": "/var/run"}}])
    assert [f.where for f in policy.host_access_findings(subject)] == [
        "spec.template.spec.hostNetwork",
        "spec.template.spec.volumes[docker].hostPath",
    ]
    assert policy.host_access_findings(deployment()) == []


@pytest.mark.parametrize("image", ["app", "app:latest", "registry.local:5000/app"])
def test_reports_unpinned_image(image):
    subject = deployment(broken("image", image))
    assert policy.image_pinned_findings(subject, subject.pod_spec["containers"][0])


def test_accepts_image_pinned_by_digest_alone():
    subject = deployment(broken("image", "registry.local:5000/app@sha256:" + "0" * 64))
    assert policy.image_pinned_findings(subject, subject.pod_spec["containers"][0]) == []


def test_reports_missing_probe_and_probe_on_undeclared_port():
    subject = deployment(broken("readinessProbe", None))
    assert [f.problem for f in policy.probe_findings(subject, subject.pod_spec["containers"][0], "readinessProbe")] == [
        "missing"
    ]
    subject = deployment(broken("livenessProbe", {"httpGet": {"path": "/healthz", "port": "metrics"}}))
    (finding,) = policy.probe_findings(subject, subject.pod_spec["containers"][0], "livenessProbe")
    assert finding.where.endswith("livenessProbe.port") and "'metrics'" in finding.problem


def test_reports_grace_period_shorter_than_shutdown():
    subject = deployment()
    subject.pod_spec["terminationGracePeriodSeconds"] = 20
    (finding,) = policy.shutdown_findings(subject, subject.pod_spec["containers"][0], drain_seconds=15)
    assert "20 s does not cover preStop 5 s + drain 15 s + margin 5 s = 25 s" in finding.problem
    no_pause = deployment(broken("lifecycle", None))
    (finding,) = policy.shutdown_findings(no_pause, no_pause.pod_spec["containers"][0], drain_seconds=15)
    assert finding.where.endswith("lifecycle.preStop")


def test_reports_strategy_that_drops_capacity():
    subject = deployment(
        strategy={"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"}}
    )
    assert policy.rolling_update_findings(subject)[0].where == "spec.strategy"


def test_reports_mounted_token_and_missing_labels():
    subject = deployment()
    subject.pod_spec["automountServiceAccountToken"] = True
    subject.body["metadata"]["labels"].pop("app.kubernetes.io/part-of")
    assert policy.token_findings(subject)
    assert [f.where for f in policy.label_findings(subject)] == ["metadata.labels.app.kubernetes.io/part-of"]


def service(selector, target_port="http") -> manifests.Manifest:
    return manifests.Manifest(
        {
            "kind": "Service",
            "metadata": {"name": "api"},
            "spec": {"selector": selector, "ports": [{"name": "http", "port": 80, "targetPort": target_port}]},
        }
    )


def test_reports_service_selecting_nothing_or_undeclared_port():
    rendering = manifests.Rendering((deployment(),))
    assert relations.service_findings(rendering, service(SELECTOR)) == []
    assert "selects []" in relations.service_findings(rendering, service({"app": "other"}))[0].problem
    assert (
        relations.service_findings(rendering, service(SELECTOR, target_port=9090))[0].where
        == "spec.ports[http].targetPort"
    )


def test_reports_disruption_budget_on_single_replica():
    budget = manifests.Manifest(
        {"kind": "PodDisruptionBudget", "metadata": {"name": "api"}, "spec": {"selector": {"matchLabels": SELECTOR}}}
    )
    assert relations.disruption_budget_findings(manifests.Rendering((deployment(),)), budget) == []
    single = deployment(replicas=1)
    assert "only 1 pod" in relations.disruption_budget_findings(manifests.Rendering((single,)), budget)[0].problem


@pytest.mark.parametrize(
    "spec, allowed",
    [({"maxUnavailable": 1}, 1), ({"maxUnavailable": "50%"}, 1), ({"minAvailable": 2}, 0), ({"minAvailable": "50%"}, 1),
     ({"maxUnavailable": 2}, 2)],
)
def test_reports_disruption_budget_that_blocks_drains_or_leaves_none_serving(spec, allowed):
    budget = manifests.Manifest(
        {
            "kind": "PodDisruptionBudget",
            "metadata": {"name": "api"},
            "spec": {"selector": {"matchLabels": SELECTOR}, **spec},
        }
    )
    assert relations.disruptions_allowed(budget, 2) == allowed
    assert bool(relations.disruption_budget_findings(manifests.Rendering((deployment(),)), budget)) == (allowed != 1)


@pytest.mark.parametrize(
    "liveness, readiness, where",
    [
        ({"periodSeconds": 10, "failureThreshold": 3, "timeoutSeconds": 5}, {"periodSeconds": 5, "failureThreshold": 2,
         "timeoutSeconds": 3}, None),
        ({"periodSeconds": 5, "failureThreshold": 2}, {"periodSeconds": 5, "failureThreshold": 2}, "livenessProbe"),
        ({"periodSeconds": 2, "failureThreshold": 10}, {"periodSeconds": 5, "failureThreshold": 2},
         "livenessProbe.periodSeconds"),
        ({"periodSeconds": 10, "failureThreshold": 3, "timeoutSeconds": 10},
         {"periodSeconds": 5, "failureThreshold": 2}, "livenessProbe.timeoutSeconds"),
    ],
    ids=["readiness-first", "liveness-as-fast", "liveness-more-often", "timeout-not-under-period"],
)
def test_reports_liveness_that_acts_before_readiness(liveness, readiness, where):
    container = {**COMPLIANT_CONTAINER, "livenessProbe": liveness, "readinessProbe": readiness}
    findings = policy.probe_timing_findings(deployment(container), container)
    assert [f.where.rsplit("]", 1)[1].lstrip(".") for f in findings] == ([where] if where else [])


def test_reports_replicas_fixed_under_autoscaler():
    hpa = manifests.Manifest(
        {
            "kind": "HorizontalPodAutoscaler",
            "metadata": {"name": "api"},
            "spec": {"scaleTargetRef": {"kind": "Deployment", "name": "api"}, "minReplicas": 2},
        }
    )
    (finding,) = relations.autoscaler_findings(manifests.Rendering((deployment(),)), hpa)
    assert (finding.subject, finding.where) == ("Deployment/api", "spec.replicas")


def hook(name, phases, weight, env_secret=None) -> manifests.Manifest:
    annotations = {"helm.sh/hook": phases, **({"helm.sh/hook-weight": weight} if weight is not None else {})}
    env = [{"name": "URL", "valueFrom": {"secretKeyRef": {"name": env_secret, "key": "URL"}}}] if env_secret else []
    return manifests.Manifest(
        {
            "kind": "Job",
            "metadata": {"name": name, "annotations": annotations},
            "spec": {"template": {"spec": {"containers": [{"name": "c", "env": env}]}}},
        }
    )


def test_orders_hooks_by_weight_then_name_and_requires_weights():
    rendering = manifests.Rendering((hook("b", "test", "1"), hook("a", "test", "1"), hook("c", "test", "-1")))
    assert relations.hook_order(rendering, "test") == ["c", "a", "b"]
    assert relations.hook_weight_findings(hook("d", "test", None))
    assert relations.hook_weight_findings(hook("e", "test", "first"))


def test_reports_pre_install_hook_reading_release_secret():
    secret = manifests.Manifest({"kind": "Secret", "metadata": {"name": "app"}})
    rendering = manifests.Rendering((secret, hook("migrate", "pre-install", "0", env_secret="app")))
    (finding,) = relations.pre_install_prerequisite_findings(rendering, rendering.one("Job"))
    assert finding.where == "spec.template.spec.containers[c].env[URL]"
    existing = manifests.Rendering((hook("migrate", "pre-install", "0", env_secret="created-by-operator"),))
    assert relations.pre_install_prerequisite_findings(existing, existing.one("Job")) == []


def test_reports_schema_violations_by_field():
    subject = deployment()
    subject.body["spec"]["replicas"] = "two"
    subject.pod_spec["containers"][0]["securityContext"]["runAsUsr"] = 1
    fields = [f.where for f in kubeschema.schema_findings(subject, "1.34.0")]
    assert fields == ["spec.replicas", "spec.template.spec.containers.0.securityContext"]
    assert kubeschema.schema_findings(deployment(), "1.34.0") == []


def test_reports_unknown_api_version():
    subject = manifests.Manifest({"apiVersion": "extensions/v1beta1", "kind": "Ingress", "metadata": {"name": "x"}})
    assert kubeschema.schema_findings(subject, "1.34.0")[0].where == "apiVersion"


def statefulset_with_claim_labels(labels: dict) -> manifests.Manifest:
    return manifests.Manifest({"kind": "StatefulSet", "metadata": {"name": "db"}, "spec": {
        "volumeClaimTemplates": [{"metadata": {"name": "data", "labels": labels}, "spec": {}}]}})


def test_reports_claim_template_labels_that_change_with_each_release():
    subject = statefulset_with_claim_labels({"app.kubernetes.io/name": "db", "helm.sh/chart": "db-1.0.0",
                                             "app.kubernetes.io/version": "1.0.0"})

    assert [f.where for f in policy.claim_template_findings(subject)] == [
        "spec.volumeClaimTemplates[0].metadata.labels.app.kubernetes.io/version",
        "spec.volumeClaimTemplates[0].metadata.labels.helm.sh/chart",
    ]
    assert policy.claim_template_findings(statefulset_with_claim_labels({"app.kubernetes.io/name": "db"})) == []
