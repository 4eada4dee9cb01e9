"""A container's resource requests and limits, read as the API server and the kubelet read them.
`helm template` and the schema take any string a quantity may be; these checks report what only
the cluster would refuse or punish:

- a quantity that does not parse, a negative one, or a resource name the API server does not know
  (`memroy`): the API server rejects the pod;
- memory or ephemeral storage in millibytes (`64m` is 0.064 bytes) or under one MiB (`256`, the
  unit forgotten): the container cannot start, or is killed as it does;
- a request above its limit, which the API server rejects (a CPU limit of `100m` under a request
  of `1` is the same mistake);
- decimal and binary units for one resource (`500M` beside `256Mi`): a reader compares the digits
  and is wrong by 5 % at M and 7 % at G, so the checks compare numbers, and the mix is reported.

Each check takes the subject (`Kind/name`), the field path of the container's `resources` and the
`resources` dict; deploykit.chart.policy runs them as container rules.
"""

import re
from collections.abc import Callable
from decimal import Decimal

from kubernetes.utils.quantity import parse_quantity

from deploykit.foundation.findings import Finding

ResourcesCheck = Callable[[str, str, dict], list[Finding]]

# Resources a container may name without a domain (k8s.io/api core/v1 ResourceName, container
# requests and limits); anything else must be domain-qualified (nvidia.com/gpu) or hugepages-<size>.
STANDARD_RESOURCES = ("cpu", "memory", "ephemeral-storage")
# Resources counted in bytes, where a fraction (millibytes) means nothing.
BYTE_RESOURCES = ("memory", "ephemeral-storage")
MI = 1 << 20
# The API server's quantity grammar (k8s.io/apimachinery resource.Quantity); parse_quantity alone
# is more lenient (it takes "1 Gi").
_QUANTITY = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|m|k|M|G|T|P|E|[eE][+-]?\d+)?")
_DECIMAL_SUFFIX = re.compile(r"\d(k|M|G|T|P|E)$")
_BINARY_SUFFIX = re.compile(r"\d(Ki|Mi|Gi|Ti|Pi|Ei)$")


def known_resource(name: str) -> bool:
    return name in STANDARD_RESOURCES or name.startswith("hugepages-") or "/" in name


def amount(value) -> Decimal | None:
    """The quantity as a number (cores, bytes), or None when the API server would not parse it."""
    if isinstance(value, str) and not _QUANTITY.fullmatch(value):
        return None
    try:
        return parse_quantity(value)
    except ValueError:
        return None


def unit_family(value) -> str | None:
    """"decimal" (k, M, G), "binary" (Ki, Mi, Gi), or None for a plain number, an exponent or `m`."""
    text = str(value)
    if _BINARY_SUFFIX.search(text):
        return "binary"
    return "decimal" if _DECIMAL_SUFFIX.search(text) else None


def _entries(resources: dict):
    """(section, resource, value) for every request and limit."""
    for section in ("requests", "limits"):
        for resource, value in (resources.get(section) or {}).items():
            yield section, resource, value


def quantity_findings(subject: str, path: str, resources: dict) -> list[Finding]:
    """Every request and limit names a resource the API server knows and is an amount it takes; a
    byte resource is a whole number of bytes, at least one MiB."""
    findings = []
    for section, resource, value in _entries(resources):
        where = f"{path}.{section}.{resource}"
        number = amount(value)
        if not known_resource(resource):
            findings.append(Finding(subject, where, f"{resource!r} is not a resource the API server knows "
                                    f"({', '.join(STANDARD_RESOURCES)}, hugepages-<size> or a domain-qualified name)"))
        elif number is None:
            findings.append(Finding(subject, where, f"{value!r} is not a quantity: the API server rejects the pod"))
        elif number < 0:
            findings.append(Finding(subject, where, f"{value!r} is negative: the API server rejects the pod"))
        elif resource in BYTE_RESOURCES and number != number.to_integral_value():
            findings.append(Finding(subject, where, f"{value!r} is {number} bytes ('m' is milli-, not mega-): "
                                    "the container cannot start; write Mi"))
        elif resource in BYTE_RESOURCES and number < MI:
            findings.append(Finding(subject, where, f"{value!r} is {number} bytes, under 1 MiB: no container runs "
                                    "in that; a unit (Mi, Gi) is missing"))
    return findings


def request_within_limit_findings(subject: str, path: str, resources: dict) -> list[Finding]:
    """No request is above its limit: the API server rejects such a pod."""
    requests, limits = resources.get("requests") or {}, resources.get("limits") or {}
    findings = []
    for resource in sorted(set(requests) & set(limits)):
        request, limit = amount(requests[resource]), amount(limits[resource])
        if request is not None and limit is not None and request > limit:
            findings.append(Finding(subject, f"{path}.requests.{resource}",
                                    f"{requests[resource]!r} ({request:f}) is above the limit {limits[resource]!r} "
                                    f"({limit:f}): the API server rejects the pod"))
    return findings


def one_unit_family_findings(subject: str, path: str, resources: dict) -> list[Finding]:
    """A byte resource's request and limit are written in one family of units, decimal or binary."""
    findings = []
    for resource in BYTE_RESOURCES:
        values = {section: value for section, name, value in _entries(resources) if name == resource}
        families = {unit_family(value) for value in values.values()} - {None}
        request, limit = (amount(values.get(section)) for section in ("requests", "limits"))
        if len(families) > 1 and request is not None and limit is not None:
            findings.append(Finding(subject, f"{path}.limits.{resource}",
                                    f"{values['limits']!r} ({limit:f} bytes) beside the request "
                                    f"{values['requests']!r} ({request:f} bytes) mixes decimal and binary units: "
                                    "write both in Mi or Gi"))
    return findings


CHECKS: dict[str, ResourcesCheck] = {
    "resourceQuantities": quantity_findings,
    "requestsWithinLimits": request_within_limit_findings,
    "resourceUnits": one_unit_family_findings,
}
