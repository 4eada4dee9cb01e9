"""Bad values stop `helm template` before anything reaches a cluster, with a message that names
the field: values.schema.json for types, ranges and unknown keys, templates/_validate.tpl for
settings that contradict each other."""

import re
from functools import partial

import pytest

from deploykit.foundation import paths
from deploykit.foundation.errors import ChartError
from deploykit.tools.helm import concurrently, names_field

PRODUCTION = [paths.CHART / "values-production.yaml"]

# id: (values files, --set values, the field the message must name)
BAD_VALUES = {
    "negative-replicas": ([], {"backend.replicaCount": -1}, "backend.replicaCount"),
    "bad-memory-quantity": ([], {"frontend.resources.limits.memory": "lots"}, "frontend.resources.limits.memory"),
    "unknown-top-level-key": ([], {"replicas": 2}, "replicas"),
    "unknown-component-key": ([], {"backend.replica": 2}, "backend.replica"),
    "missing-image-repository": ([], {"backend.image.repository": ""}, "backend.image.repository"),
    "latest-image-tag": ([], {"frontend.image.tag": "latest"}, "frontend.image.tag"),
    "malformed-digest": ([], {"backend.image.digest": "sha256:abc"}, "backend.image.digest"),
    "pull-secret-reference-without-name": (
        [],
        {"global.imagePullSecrets": [{"secret": "registry"}]},
        "global.imagePullSecrets",
    ),
    "unknown-pull-policy": ([], {"backend.image.pullPolicy": "Sometimes"}, "backend.image.pullPolicy"),
    "service-port-out-of-range": ([], {"frontend.service.port": 70000}, "frontend.service.port"),
    "relative-probe-path": ([], {"backend.probes.readiness.path": "readyz"}, "backend.probes.readiness.path"),
    "root-user": ([], {"backend.securityContext.runAsUser": 0}, "backend.securityContext.runAsUser"),
    "pod-label-not-a-string": ([], {"backend.podLabels": {"tier": 1}}, "backend.podLabels.tier"),
    "pod-label-replacing-chart-label": (
        [],
        {"frontend.podLabels": {"app.kubernetes.io/component": "web"}},
        "frontend.podLabels",
    ),
    "unknown-environment": ([], {"environment": "prod"}, "environment"),
    "database-image-without-tag": ([], {"postgresql.image.tag": ""}, "postgresql.image.tag"),
    "grace-shorter-than-shutdown": (
        [],
        {"backend.terminationGracePeriodSeconds": 10},
        "backend.terminationGracePeriodSeconds",
    ),
    "disruption-budget-on-one-replica": (
        [],
        {"frontend.podDisruptionBudget.enabled": True},
        "frontend.podDisruptionBudget.enabled",
    ),
    "autoscaler-max-below-min": (
        [],
        {
            "backend.autoscaling": {
                "enabled": True,
                "minReplicas": 4,
                "maxReplicas": 2,
                "targetCPUUtilizationPercentage": 70,
            }
        },
        "backend.autoscaling.maxReplicas",
    ),
    # null removes a default value in helm
    "autoscaler-without-cpu-request": (
        [],
        {"backend.autoscaling.enabled": True, "backend.resources.requests.cpu": None},
        "backend.resources.requests.cpu",
    ),
    "ingress-without-host": ([], {"ingress.enabled": True}, "ingress.host"),
    "ingress-tls-without-secret": (
        [],
        {"ingress.enabled": True, "ingress.host": "todo.local", "ingress.tls.enabled": True},
        "ingress.tls.secretName",
    ),
    "short-jwt-secret": ([], {"secrets.jwtSecret": "changethis"}, "secrets.jwtSecret"),
    "no-database": ([], {"postgresql.enabled": False}, "externalDatabase"),
    "two-databases": ([], {"externalDatabase.url": "postgresql://todo:pw@db:5432/todo"}, "postgresql.enabled"),
    "production-without-database-secret": (
        PRODUCTION,
        {"externalDatabase.existingSecret": ""},
        "externalDatabase.existingSecret",
    ),
    "production-without-app-secret": (PRODUCTION, {"secrets.existingSecret": ""}, "secrets.existingSecret"),
    "production-with-secret-in-values": (
        PRODUCTION,
        {"secrets.existingSecret": "", "secrets.jwtSecret": "x" * 48},
        "secrets.jwtSecret",
    ),
    "production-with-in-cluster-database": (
        PRODUCTION,
        {"postgresql.enabled": True, "externalDatabase.existingSecret": ""},
        "postgresql.enabled",
    ),
}


@pytest.fixture(scope="module")
def outcomes(helm) -> dict:
    """What `helm template` made of each bad value: a ChartError, or the manifests it rendered."""
    return concurrently(
        {
            case: partial(helm.template, paths.CHART, "bad-values", values=values, set_values=set_values)
            for case, (values, set_values, _) in BAD_VALUES.items()
        }
    )


@pytest.mark.parametrize("case", BAD_VALUES)
def test_rejects_bad_value_naming_field(case, outcomes, renderings):
    """Skipped when the values a case starts from do not render: any message would then do."""
    renderings.require_values(*(path.name for path in BAD_VALUES[case][0]))
    field, outcome = BAD_VALUES[case][2], outcomes[case]
    assert isinstance(outcome, ChartError), f"helm template accepted the values of {case}"
    assert names_field(str(outcome), field), f"the message does not name {field}:\n{outcome}"


def test_reports_every_broken_rule_at_once(helm, renderings):
    renderings.require_values()
    with pytest.raises(ChartError) as rejected:
        helm.template(paths.CHART, "bad-values", set_values={"ingress.enabled": True, "secrets.jwtSecret": "short"})
    assert names_field(str(rejected.value), "ingress.host")
    assert names_field(str(rejected.value), "secrets.jwtSecret")


def test_tells_how_to_fix_each_broken_rule(helm, renderings):
    renderings.require_values()
    with pytest.raises(ChartError) as rejected:
        helm.template(paths.CHART, "bad-values", set_values={"ingress.enabled": True})
    assert "ingress.host: empty while ingress.enabled is true. Set ingress.host" in str(rejected.value)


def test_runs_every_validation_rule():
    """One define per rule in _validate.tpl: a rule the aggregate does not include never runs."""
    text = (paths.CHART / "templates" / "_validate.tpl").read_text()
    defined = re.findall(r'define "todo-list-hackathon\.validateValues\.(\w+)"', text)
    included = re.findall(r'include "todo-list-hackathon\.validateValues\.(\w+)"', text)
    assert sorted(included) == sorted(set(defined)) == sorted(defined)
