"""Which connections a rendering's NetworkPolicies allow, evaluated the way the API defines them,
so a chart's network intent is checked without a cluster or a CNI.

Pods are given by their labels and live in the release's namespace. `OUTSIDE` stands for any
peer beyond it (another namespace, a node, the internet): podSelector-only peers never match it,
namespaceSelector and ipBlock peers and rules without peers do. Named ports are not resolved.
"""

from deploykit.chart.manifests import Rendering

OUTSIDE = None


def allows(
    rendering: Rendering, source: dict | None, destination: dict | None, port: int, protocol: str = "TCP"
) -> bool:
    """Whether `source` may open a connection to `destination` on port/protocol: egress must be
    allowed at the source (if it is a pod here) and ingress at the destination (likewise)."""
    egress_ok = source is OUTSIDE or _allowed(rendering, "Egress", source, destination, port, protocol)
    ingress_ok = destination is OUTSIDE or _allowed(rendering, "Ingress", destination, source, port, protocol)
    return egress_ok and ingress_ok


def _allowed(rendering, direction, pod, peer, port, protocol) -> bool:
    """A pod no policy of this direction selects is not isolated; an isolated one accepts only
    what some rule of a selecting policy allows."""
    selecting = [
        p
        for p in rendering.select("NetworkPolicy")
        if direction in _policy_types(p.body["spec"]) and _selects(p.body["spec"].get("podSelector", {}), pod)
    ]
    if not selecting:
        return True
    rules_key, peers_key = ("egress", "to") if direction == "Egress" else ("ingress", "from")
    return any(
        _peers_match(rule.get(peers_key), peer) and _ports_match(rule.get("ports"), port, protocol)
        for policy in selecting
        for rule in policy.body["spec"].get(rules_key) or []
    )


def _policy_types(spec: dict) -> list[str]:
    # Without policyTypes, a policy always governs ingress, and egress only if it has rules.
    return spec.get("policyTypes") or ["Ingress", *(["Egress"] if "egress" in spec else [])]


def _selects(selector: dict, labels: dict) -> bool:
    """LabelSelector semantics: every matchLabels pair and matchExpression holds; {} selects all."""
    if any(labels.get(key) != value for key, value in (selector.get("matchLabels") or {}).items()):
        return False
    for expression in selector.get("matchExpressions") or []:
        present, value = expression["key"] in labels, labels.get(expression["key"])
        operator, values = expression["operator"], expression.get("values", [])
        if not {
            "In": present and value in values,
            "NotIn": not present or value not in values,
            "Exists": present,
            "DoesNotExist": not present,
        }[operator]:
            return False
    return True


def _peers_match(peers: list | None, peer: dict | None) -> bool:
    if not peers:
        return True  # a rule without peers allows every peer
    for candidate in peers:
        if peer is OUTSIDE:
            if "ipBlock" in candidate or "namespaceSelector" in candidate:
                return True
        elif "ipBlock" not in candidate:
            namespaces = candidate.get("namespaceSelector")
            # A specific namespaceSelector may or may not include ours; only {} surely does.
            if namespaces not in (None, {}):
                continue
            if _selects(candidate.get("podSelector") or {}, peer):
                return True
    return False


def _ports_match(ports: list | None, port: int, protocol: str) -> bool:
    if not ports:
        return True
    for candidate in ports:
        if candidate.get("protocol", "TCP") != protocol:
            continue
        first = candidate.get("port")
        last = candidate.get("endPort", first)
        if first is None or (isinstance(first, int) and first <= port <= last):
            return True
    return False
