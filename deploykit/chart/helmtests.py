"""What each `helm test` pod of a rendering calls, against what it claims to check. A test that
GETs a container port instead of its Service's port, or a host that is not a Service of the
release, fails only once installed; one that GETs the wrong endpoint passes while what it claims
is broken. Findings as in deploykit.chart.policy, each naming the test pod; every check takes the
rendering, one test pod and the Facts read from the apps' sources (CHECKS).

A test pod says what it checks in its name, `<release>-test-<claim>`, and CLAIMS says what each
claim requires of the URLs the pod GETs (the http URLs in its containers' env, command and args).
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from deploykit.chart import backendroutes, relations
from deploykit.chart.manifests import Manifest, Rendering
from deploykit.foundation.findings import Finding

_URL = re.compile(r"https?://[^\s\"']+")
_CLAIM = re.compile(r"-test-([a-z0-9-]+)$")
_LOCATION = re.compile(r"location\s+(=\s*)?([^\s{]+)\s*\{([^}]*)\}")
# The Service DNS suffixes a pod may use for a Service of its own namespace.
_SERVICE_SUFFIX = re.compile(r"^[a-z0-9-]+(\.svc(\.cluster\.local)?)?$")


@dataclass(frozen=True)
class Facts:
    """What the apps serve: the backend's GET routes by path, and the frontend's nginx locations
    as {(exact, path): whether it proxies to the backend}."""

    backend_routes: dict[str, backendroutes.Route]
    nginx_locations: dict[tuple[bool, str], bool]


def nginx_locations(config: str) -> dict[tuple[bool, str], bool]:
    """{(exact, path): proxies} of the `location` blocks (not regex or named ones)."""
    return {
        (bool(exact), path): "proxy_pass" in body
        for exact, path, body in _LOCATION.findall(config)
        if not path.startswith(("@", "~"))
    }


def read_facts(backend_package: Path, nginx_config: Path) -> Facts:
    return Facts(backendroutes.get_routes(backend_package), nginx_locations(nginx_config.read_text()))


def _proxied(facts: Facts, path: str) -> bool:
    """Whether nginx passes path to the backend: an exact location, else the longest prefix."""
    if (True, path) in facts.nginx_locations:
        return facts.nginx_locations[(True, path)]
    prefixes = [p for exact, p in facts.nginx_locations if not exact and path.startswith(p)]
    return bool(prefixes) and facts.nginx_locations[(False, max(prefixes, key=len))]


@dataclass(frozen=True)
class Call:
    """One URL a test pod GETs, and the Service of the rendering it reaches (None: none)."""

    field: str
    url: str
    host: str
    port: int
    path: str
    service: Manifest | None


def calls(rendering: Rendering, pod: Manifest) -> list[Call]:
    found = []
    for container in pod.owner_pod_spec.get("containers", []):
        base = f"{pod.pod_spec_path}.containers[{container['name']}]"
        texts = [(f"{base}.env[{e['name']}]", e.get("value") or "") for e in container.get("env", [])]
        texts += [(f"{base}.{key}", " ".join(container.get(key) or [])) for key in ("command", "args")]
        for field, text in texts:
            for url in _URL.findall(text):
                parts = urlsplit(url)
                host = parts.hostname or ""
                name, _, rest = host.partition(".")
                namespaced = not rest or _SERVICE_SUFFIX.match(rest)
                services = rendering.select("Service", name=name) if namespaced else []
                port = parts.port or (443 if parts.scheme == "https" else 80)
                found.append(Call(field, url, host, port, parts.path or "/", services[0] if services else None))
    return found


def service_port_findings(rendering: Rendering, pod: Manifest, facts: Facts) -> list[Finding]:
    """Every URL names a Service of the release on a port the Service listens on."""
    findings = []
    for call in calls(rendering, pod):
        if call.service is None:
            findings.append(Finding(pod.ref, call.field, f"GETs {call.url}: {call.host!r} is not a Service of the "
                                    "release, so the test checks something else or nothing"))
            continue
        ports = [p["port"] for p in call.service.get("spec.ports", [])]
        if call.port not in ports:
            what = "the container's port (targetPort), not the Service's" if call.port in _container_ports(
                rendering, call.service) else "not a port of the Service"
            findings.append(Finding(pod.ref, call.field, f"GETs {call.url}: {call.port} is {what}; "
                                    f"{call.service.ref} listens on {ports}"))
    return findings


def _container_ports(rendering: Rendering, service: Manifest) -> set[int]:
    owners = relations.selected_pod_owners(rendering, service.get("spec.selector") or {})
    return {p["containerPort"] for o in owners for c in o.owner_pod_spec["containers"] for p in c.get("ports", [])}


def _backend_route(call: Call, facts: Facts) -> backendroutes.Route | None:
    """The backend route a call reaches: straight to the backend Service, or through the
    frontend's nginx, which passes the path on unchanged."""
    component = call.service.component if call.service else None
    if component == "backend" or (component == "frontend" and _proxied(facts, call.path)):
        return facts.backend_routes.get(call.path)
    return None


def _frontend_findings(pod: Manifest, found: list[Call], facts: Facts) -> list[Finding]:
    return [
        Finding(pod.ref, call.field, f"GETs {call.url}, which the frontend does not serve itself "
                                     f"({call.service.ref if call.service else call.host})")
        for call in found
        if not call.service or call.service.component != "frontend" or _proxied(facts, call.path)
    ]


def _database_findings(pod: Manifest, found: list[Call], facts: Facts) -> list[Finding]:
    routes = [(call, _backend_route(call, facts)) for call in found]
    if any(route and route.touches_database for _, route in routes):
        return []
    reached = ", ".join(f"{call.path} ({route.handler if route else 'no backend route'})" for call, route in routes)
    return [Finding(pod.ref, "claim database", f"no URL it GETs reaches a backend route that queries the database: "
                    f"{reached or 'it GETs nothing'}")]


def _api_proxy_findings(pod: Manifest, found: list[Call], facts: Facts) -> list[Finding]:
    if any(c.service and c.service.component == "frontend" and _backend_route(c, facts) for c in found):
        return []
    return [Finding(pod.ref, "claim api-proxy", "no URL it GETs goes through the frontend Service to a backend route: "
                    + (", ".join(c.url for c in found) or "it GETs nothing"))]


# What each claim requires of the calls a test pod makes.
CLAIMS: dict[str, Callable[[Manifest, list[Call], Facts], list[Finding]]] = {
    "frontend": _frontend_findings,
    "database": _database_findings,
    "api-proxy": _api_proxy_findings,
}


def claim_findings(rendering: Rendering, pod: Manifest, facts: Facts) -> list[Finding]:
    """The pod's URLs check what its name claims (CLAIMS)."""
    match = _CLAIM.search(pod.name)
    claim = match.group(1) if match else None
    if claim not in CLAIMS:
        return [Finding(pod.ref, "metadata.name", f"claims {claim!r}, which no check of "
                        f"deploykit.chart.helmtests knows ({', '.join(CLAIMS)})")]
    return CLAIMS[claim](pod, calls(rendering, pod), facts)


CHECKS: dict[str, Callable[[Rendering, Manifest, Facts], list[Finding]]] = {
    "service-port": service_port_findings,
    "claim": claim_findings,
}
