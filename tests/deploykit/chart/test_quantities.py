"""deploykit.chart.quantities: the chart's own resources pass; each quantity the API server or the
kubelet would refuse, and a request above its limit, fail with a finding naming the field."""

import pytest

from deploykit.chart import quantities

SUBJECT, PATH = "Deployment/api", "spec.template.spec.containers[app].resources"


def findings(check, requests=None, limits=None) -> list[str]:
    return [str(f) for f in check(SUBJECT, PATH, {"requests": requests or {}, "limits": limits or {}})]


@pytest.mark.parametrize("check", quantities.CHECKS.values(), ids=quantities.CHECKS.keys())
def test_passes_the_chart_s_own_resources(check):
    assert findings(check, {"cpu": "100m", "memory": "128Mi"}, {"cpu": "1", "memory": "256Mi"}) == []
    assert findings(check, {"cpu": 0.5, "ephemeral-storage": "1Gi"}, {"cpu": 2, "nvidia.com/gpu": 1}) == []


@pytest.mark.parametrize(
    "limits, problem",
    [
        ({"memory": "64m"}, "'64m' is 0.064 bytes ('m' is milli-, not mega-): the container cannot start; write Mi"),
        ({"memory": "256"}, "'256' is 256 bytes, under 1 MiB: no container runs in that; a unit (Mi, Gi) is missing"),
        ({"memory": "1 Gi"}, "'1 Gi' is not a quantity: the API server rejects the pod"),
        ({"memory": "256MB"}, "'256MB' is not a quantity: the API server rejects the pod"),
        ({"memory": "-1Gi"}, "'-1Gi' is negative: the API server rejects the pod"),
        ({"memroy": "256Mi"}, "'memroy' is not a resource the API server knows"),
    ],
    ids=["millibytes", "no-unit", "space", "MB", "negative", "typo"],
)
def test_reports_a_quantity_the_cluster_refuses(limits, problem):
    (finding,) = findings(quantities.quantity_findings, limits=limits)
    assert finding.startswith(f"{SUBJECT} {PATH}.limits.{next(iter(limits))}: {problem}"), finding


def test_reports_a_request_above_its_limit_in_any_units():
    assert findings(quantities.request_within_limit_findings, {"cpu": "1"}, {"cpu": "100m"}) == [
        f"{SUBJECT} {PATH}.requests.cpu: '1' (1) is above the limit '100m' (0.100): the API server rejects the pod"
    ]
    # 256Mi is 268 MB: above a 260M limit a reader would take for the larger.
    (finding,) = findings(quantities.request_within_limit_findings, {"memory": "256Mi"}, {"memory": "260M"})
    assert finding.startswith(f"{SUBJECT} {PATH}.requests.memory: '256Mi' (268435456) is above the limit '260M'")
    assert findings(quantities.request_within_limit_findings, {"memory": "256Mi"}, {"memory": "300M"}) == []


def test_reports_decimal_beside_binary_units():
    assert findings(quantities.one_unit_family_findings, {"memory": "256Mi"}, {"memory": "500M"}) == [
        f"{SUBJECT} {PATH}.limits.memory: '500M' (500000000 bytes) beside the request '256Mi' (268435456 bytes) "
        "mixes decimal and binary units: write both in Mi or Gi"
    ]
    assert findings(quantities.one_unit_family_findings, {"memory": "256M"}, {"memory": "1G"}) == []
