"""The public edge: what an HTTPRoute (Gateway API v1) or an Ingress of one rendering sends where.
Findings as in deploykit.chart.policy, each naming the route; every check takes the rendering and
one route of either kind (CHECKS).

Every backend is a Service of the rendering, on a port that Service declares, and it is the
frontend's: the frontend's nginx proxies /api/ and the /api/ws WebSocket to the backend, so a
route straight to the backend Service would serve the API without the app. `/` is matched as a
prefix, or only the root page reaches the app. Under TLS an Ingress names a certificate Secret for
every host; an HTTPRoute rendered beside such an Ingress (a move from one to the other) serves
exactly its TLS hosts. In production every route serves TLS only: an Ingress covers each host
under spec.tls, an HTTPRoute attaches to one named listener of each Gateway (without sectionName
it attaches to every listener, plain HTTP included). The live-update WebSocket (/api/ws) has a
route, and an HTTPRoute's timeouts do not cut it before the frontend's nginx would.
"""

import re
from collections.abc import Callable

from deploykit.chart.manifests import Manifest, Rendering
from deploykit.foundation.findings import Finding

PUBLIC_COMPONENT = "frontend"
ROUTE_KINDS = ("HTTPRoute", "Ingress")
# The path match type that covers every path under `/`, per kind.
PREFIX = {"HTTPRoute": "PathPrefix", "Ingress": "Prefix"}
# A rule without matches matches every path (the Gateway API's default match).
_DEFAULT_MATCH = {"path": {"type": "PathPrefix", "value": "/"}}
# The frontend's nginx proxies the WebSocket here and keeps it open while idle for 1 h
# (frontend/nginx/nginx.conf.template, `location = /api/ws`, proxy_read_timeout).
WEBSOCKET_PATH = "/api/ws"
WEBSOCKET_IDLE_SECONDS = 3600
_DURATION_PART = re.compile(r"(\d+)(ms|h|m|s)")
_DURATION_SECONDS = {"h": 3600, "m": 60, "s": 1, "ms": 0.001}


def _backends(route: Manifest):
    """(field, Service name or None for a backend that is not a Service, port) of every backend."""
    if route.kind == "HTTPRoute":
        for index, rule in enumerate(route.get("spec.rules", [])):
            for number, ref in enumerate(rule.get("backendRefs", [])):
                is_service = ref.get("group", "") == "" and ref.get("kind", "Service") == "Service"
                name = ref.get("name") if is_service else None
                yield f"spec.rules[{index}].backendRefs[{number}]", name, ref.get("port")
        return
    for rule in route.get("spec.rules", []):
        for path in rule.get("http", {}).get("paths", []):
            service = path["backend"].get("service") or {}
            port = service.get("port", {})
            field = f"spec.rules[{rule.get('host')}].paths[{path.get('path')}].backend.service"
            yield field, service.get("name"), port.get("name") or port.get("number")


def _root_matches(route: Manifest):
    """(field, match type) of every match on the path `/`."""
    if route.kind == "HTTPRoute":
        for index, rule in enumerate(route.get("spec.rules", [])):
            for number, match in enumerate(rule.get("matches") or [_DEFAULT_MATCH]):
                path = match.get("path") or _DEFAULT_MATCH["path"]
                if path.get("value", "/") == "/":
                    yield f"spec.rules[{index}].matches[{number}].path.type", path.get("type", "PathPrefix")
        return
    for rule in route.get("spec.rules", []):
        for path in rule.get("http", {}).get("paths", []):
            if path.get("path") == "/":
                yield f"spec.rules[{rule.get('host')}].paths[/].pathType", path.get("pathType")


def backend_findings(rendering: Rendering, route: Manifest) -> list[Finding]:
    """Each backend is a Service of the rendering, on a port it declares (an HTTPRoute names the
    port by number, an Ingress by number or name), and the frontend's."""
    findings = []
    for field, name, port in _backends(route):
        if name is None:
            findings.append(Finding(route.ref, field, "is not a Service"))
            continue
        services = rendering.select("Service", name=name)
        if not services:
            findings.append(Finding(route.ref, f"{field}.name", f"{name!r} is not a Service of the rendering"))
            continue
        service = services[0]
        ports = service.get("spec.ports", [])
        declared = {p["port"] for p in ports} | (
            {p["name"] for p in ports if p.get("name")} if route.kind == "Ingress" else set()
        )
        if port not in declared:
            findings.append(
                Finding(
                    route.ref,
                    f"{field}.port",
                    f"{port!r} is not a port of {service.ref} (it has {sorted(declared, key=str)})",
                )
            )
        if service.component != PUBLIC_COMPONENT:
            findings.append(
                Finding(
                    route.ref,
                    f"{field}.name",
                    f"routes to {service.ref} ({service.component}); the public edge must reach the "
                    f"{PUBLIC_COMPONENT} Service, whose nginx proxies /api/ and the WebSocket to the backend",
                )
            )
    return findings


def root_match_findings(rendering: Rendering, route: Manifest) -> list[Finding]:
    """`/` is matched as a prefix (PathPrefix, an Ingress's Prefix), so every path reaches the app."""
    prefix = PREFIX[route.kind]
    matches = list(_root_matches(route))
    findings = [
        Finding(route.ref, field, f"matches '/' as {kind!r}: only the root page would reach the app; use {prefix!r}")
        for field, kind in matches
        if kind != prefix
    ]
    if not any(kind == prefix for _, kind in matches):
        findings.append(
            Finding(route.ref, "spec.rules", f"no rule matches '/' as {prefix!r}: most paths would find no route")
        )
    return findings


def tls_hosts(ingress: Manifest) -> set[str]:
    return {host for entry in ingress.get("spec.tls") or [] for host in entry.get("hosts", [])}


def tls_findings(rendering: Rendering, route: Manifest) -> list[Finding]:
    """An Ingress under TLS names a Secret in every TLS entry and covers every host of its rules;
    an HTTPRoute with hostnames beside such an Ingress serves exactly the Ingress's TLS hosts, so
    neither exposure publishes a host the other does not (and the Gateway's listener needs the
    certificate the Ingress's Secret holds)."""
    if route.kind == "Ingress":
        tls = route.get("spec.tls") or []
        findings = [
            Finding(route.ref, f"spec.tls[{index}].secretName", "is empty: the controller serves its own certificate")
            for index, entry in enumerate(tls)
            if not entry.get("secretName")
        ]
        covered = tls_hosts(route)
        findings += [
            Finding(route.ref, f"spec.rules[{rule['host']}]", f"is served without TLS: spec.tls has {sorted(covered)}")
            for rule in route.get("spec.rules", [])
            if tls and rule.get("host") and rule["host"] not in covered
        ]
        return findings
    hostnames = set(route.get("spec.hostnames") or [])
    findings = []
    for ingress in rendering.select("Ingress"):
        covered = tls_hosts(ingress)
        if hostnames and covered and hostnames != covered:
            secrets = sorted({e["secretName"] for e in ingress.get("spec.tls") or [] if e.get("secretName")})
            findings.append(
                Finding(
                    route.ref,
                    "spec.hostnames",
                    f"{sorted(hostnames)} differ from the TLS hosts {sorted(covered)} of {ingress.ref} (Secret "
                    f"{', '.join(secrets) or 'none'}): the two exposures would serve different hosts",
                )
            )
    return findings


def environment(rendering: Rendering) -> str | None:
    """The environment the release runs as: the ENVIRONMENT the backend's ConfigMap passes it."""
    for config in rendering.select("ConfigMap", component="backend"):
        if "ENVIRONMENT" in (config.get("data") or {}):
            return config.get("data")["ENVIRONMENT"]
    return None


def production_tls_findings(rendering: Rendering, route: Manifest) -> list[Finding]:
    """In production no route serves a host over plain HTTP."""
    if environment(rendering) != "production":
        return []
    if route.kind == "Ingress":
        covered = tls_hosts(route)
        return [
            Finding(route.ref, f"spec.rules[{rule.get('host')}]", f"is served without TLS in production: spec.tls "
                    f"covers {sorted(covered)}")
            for rule in route.get("spec.rules", [])
            if rule.get("host") not in covered
        ]
    return [
        Finding(route.ref, f"spec.parentRefs[{index}].sectionName", f"is unset in production: the route attaches to "
                f"every listener of Gateway {ref.get('name')}, plain HTTP included; name its HTTPS listener")
        for index, ref in enumerate(route.get("spec.parentRefs") or [])
        if not ref.get("sectionName")
    ]


def seconds(duration: str) -> float | None:
    """A Gateway API duration (`1h`, `90s`, `1h30m`) in seconds; None if it is not one."""
    if not re.fullmatch(r"(\d+(ms|h|m|s))+", duration or ""):
        return None
    return sum(int(n) * _DURATION_SECONDS[unit] for n, unit in _DURATION_PART.findall(duration))


def _covers_websocket(route: Manifest) -> list[tuple[str, dict]]:
    """(field, rule) of every rule whose matches take WEBSOCKET_PATH (an Ingress's: (field, path))."""
    def takes(kind: str, value: str) -> bool:
        if kind == "Exact":
            return value == WEBSOCKET_PATH
        return WEBSOCKET_PATH == value or WEBSOCKET_PATH.startswith(value.rstrip("/") + "/")

    if route.kind == "HTTPRoute":
        return [
            (f"spec.rules[{index}]", rule)
            for index, rule in enumerate(route.get("spec.rules", []))
            for match in rule.get("matches") or [_DEFAULT_MATCH]
            if takes((match.get("path") or {}).get("type", "PathPrefix"), (match.get("path") or {}).get("value", "/"))
        ]
    return [
        (f"spec.rules[{rule.get('host')}].paths[{path.get('path')}]", path)
        for rule in route.get("spec.rules", [])
        for path in rule.get("http", {}).get("paths", [])
        if takes(path.get("pathType"), path.get("path", "/"))
    ]


def websocket_findings(rendering: Rendering, route: Manifest) -> list[Finding]:
    """A rule takes /api/ws, and an HTTPRoute's rule lets the socket stay open as long as the
    frontend's nginx does (a timeout of 0s is none)."""
    covering = _covers_websocket(route)
    if not covering:
        return [Finding(route.ref, "spec.rules", f"no rule takes {WEBSOCKET_PATH}: live updates never connect")]
    if route.kind != "HTTPRoute":
        return []  # an Ingress sets its timeouts in controller-specific annotations
    findings = []
    for field, rule in covering:
        for timeout in ("request", "backendRequest"):
            value = (rule.get("timeouts") or {}).get(timeout)
            length = seconds(value) if value else None
            if length is None or 0 < length < WEBSOCKET_IDLE_SECONDS:
                findings.append(Finding(route.ref, f"{field}.timeouts.{timeout}",
                                        f"{value!r} cuts the {WEBSOCKET_PATH} WebSocket before nginx's "
                                        f"{WEBSOCKET_IDLE_SECONDS} s idle timeout (unset: the controller's default, "
                                        "Envoy's is 15 s); set 1h, or 0s for none"))
    return findings


CHECKS: dict[str, Callable[[Rendering, Manifest], list[Finding]]] = {
    "backends": backend_findings,
    "root-prefix": root_match_findings,
    "hosts-and-tls": tls_findings,
    "tls-in-production": production_tls_findings,
    "websocket": websocket_findings,
}


def route_findings(rendering: Rendering, route: Manifest) -> list[Finding]:
    """Every check of CHECKS on one route."""
    return [finding for check in CHECKS.values() for finding in check(rendering, route)]
