"""deploykit.chart.routes: the chart's own routes pass; a route to the backend Service, an exact
match on `/`, a missing Service or port, hosts that disagree with the Ingress's TLS, plain HTTP in
production and timeouts that cut the WebSocket each fail with a finding that names the route.
Also the HTTPRoute's schema, from the Gateway API CRD."""

import copy

import pytest

from deploykit.chart import kubeschema, manifests, routes

FRONTEND = "todo-frontend"
BACKEND = "todo-backend"


def service(name: str, component: str, port: int, port_name: str = "http") -> manifests.Manifest:
    return manifests.Manifest(
        {
            "apiVersion": "v1",
            "kind": "Service",
            "metadata": {"name": name, "labels": {"app.kubernetes.io/component": component}},
            "spec": {"ports": [{"name": port_name, "port": port, "targetPort": port_name}]},
        }
    )


def httproute(*, backend: str = FRONTEND, port: int = 80, path_type: str = "PathPrefix", hostnames=("todo.local",)):
    return manifests.Manifest(
        {
            "apiVersion": "gateway.networking.k8s.io/v1",
            "kind": "HTTPRoute",
            "metadata": {"name": "todo"},
            "spec": {
                "parentRefs": [{"group": "gateway.networking.k8s.io", "kind": "Gateway", "name": "public"}],
                "hostnames": list(hostnames),
                "rules": [
                    {
                        "matches": [{"path": {"type": path_type, "value": "/"}}],
                        "backendRefs": [{"group": "", "kind": "Service", "name": backend, "port": port}],
                        "timeouts": {"request": "1h", "backendRequest": "1h"},
                    }
                ],
            },
        }
    )


def ingress(*, backend: str = FRONTEND, port=None, path_type: str = "Prefix", tls_hosts=("todo.local",), secret="tls"):
    tls = [{"hosts": list(tls_hosts), "secretName": secret}] if tls_hosts else []
    return manifests.Manifest(
        {
            "apiVersion": "networking.k8s.io/v1",
            "kind": "Ingress",
            "metadata": {"name": "todo"},
            "spec": {
                "tls": tls,
                "rules": [
                    {
                        "host": "todo.local",
                        "http": {
                            "paths": [
                                {
                                    "path": "/",
                                    "pathType": path_type,
                                    "backend": {"service": {"name": backend, "port": port or {"name": "http"}}},
                                }
                            ]
                        },
                    }
                ],
            },
        }
    )


def rendering(*objects) -> manifests.Rendering:
    return manifests.Rendering((service(FRONTEND, "frontend", 80), service(BACKEND, "backend", 8000), *objects))


def findings(*routes_in_it) -> list[str]:
    """Every finding of every check on each route, as the render layer prints them."""
    whole = rendering(*routes_in_it)
    return [str(f) for route in routes_in_it for f in routes.route_findings(whole, route)]


def test_passes_the_chart_s_own_shape_of_route_and_ingress():
    assert findings(httproute(), ingress()) == []
    assert findings(ingress(port={"number": 80}, tls_hosts=())) == []


@pytest.mark.parametrize(
    "route", [httproute(backend=BACKEND, port=8000), ingress(backend=BACKEND)], ids=["HTTPRoute", "Ingress"]
)
def test_reports_a_route_to_the_backend_service(route):
    (finding,) = findings(route)
    assert finding.startswith(f"{route.ref} ") and f"routes to Service/{BACKEND} (backend)" in finding, finding


@pytest.mark.parametrize(
    "route, prefix",
    [(httproute(path_type="Exact"), "PathPrefix"), (ingress(path_type="Exact"), "Prefix")],
    ids=["HTTPRoute", "Ingress"],
)
def test_reports_an_exact_match_on_root(route, prefix):
    found = findings(route)
    field = (
        "spec.rules[0].matches[0].path.type"
        if route.kind == "HTTPRoute"
        else "spec.rules[todo.local].paths[/].pathType"
    )
    assert found == [
        f"{route.ref} {field}: matches '/' as 'Exact': only the root page would reach the app; use {prefix!r}",
        f"{route.ref} spec.rules: no rule matches '/' as {prefix!r}: most paths would find no route",
        f"{route.ref} spec.rules: no rule takes /api/ws: live updates never connect",
    ]


def test_reports_a_missing_service_or_port():
    assert findings(httproute(backend="nowhere")) == [
        "HTTPRoute/todo spec.rules[0].backendRefs[0].name: 'nowhere' is not a Service of the rendering"
    ]
    assert findings(httproute(port=8080)) == [
        "HTTPRoute/todo spec.rules[0].backendRefs[0].port: 8080 is not a port of Service/todo-frontend (it has [80])"
    ]
    # An Ingress may name the port; an HTTPRoute cannot (the Gateway API takes a number).
    (finding,) = findings(ingress(port={"name": "web"}))
    assert "'web' is not a port of Service/todo-frontend" in finding


def test_reports_route_hosts_that_differ_from_the_ingress_tls_hosts():
    route, beside = httproute(hostnames=("todo.example.com",)), ingress()
    assert findings(route, beside) == [
        "HTTPRoute/todo spec.hostnames: ['todo.example.com'] differ from the TLS hosts ['todo.local'] of "
        "Ingress/todo (Secret tls): the two exposures would serve different hosts"
    ]


def test_reports_ingress_tls_without_secret_or_host():
    assert findings(ingress(secret="")) == [
        "Ingress/todo spec.tls[0].secretName: is empty: the controller serves its own certificate"
    ]
    assert findings(ingress(tls_hosts=("other.local",))) == [
        "Ingress/todo spec.rules[todo.local]: is served without TLS: spec.tls has ['other.local']"
    ]


def in_production(*objects) -> manifests.Rendering:
    config = manifests.Manifest(
        {
            "kind": "ConfigMap",
            "metadata": {"name": "todo-backend", "labels": {"app.kubernetes.io/component": "backend"}},
            "data": {"ENVIRONMENT": "production"},
        }
    )
    return manifests.Rendering((*rendering(*objects).manifests, config))


def test_reports_plain_http_in_production():
    plain = ingress(tls_hosts=())
    assert [str(f) for f in routes.production_tls_findings(in_production(plain), plain)] == [
        "Ingress/todo spec.rules[todo.local]: is served without TLS in production: spec.tls covers []"
    ]
    assert routes.production_tls_findings(rendering(plain), plain) == []  # development may serve plain HTTP
    route = httproute()
    assert [str(f) for f in routes.production_tls_findings(in_production(route), route)] == [
        "HTTPRoute/todo spec.parentRefs[0].sectionName: is unset in production: the route attaches to every "
        "listener of Gateway public, plain HTTP included; name its HTTPS listener"
    ]
    route.body["spec"]["parentRefs"][0]["sectionName"] = "https"
    assert routes.production_tls_findings(in_production(route), route) == []


@pytest.mark.parametrize("timeouts", [{"request": "60s", "backendRequest": "1h"}, {"backendRequest": "1h"}])
def test_reports_httproute_timeouts_that_cut_the_websocket(timeouts):
    route = httproute()
    route.body["spec"]["rules"][0]["timeouts"] = timeouts
    (finding,) = findings(route)
    assert finding.startswith("HTTPRoute/todo spec.rules[0].timeouts.request: ") and "cuts the /api/ws" in finding
    route.body["spec"]["rules"][0]["timeouts"] = {"request": "0s", "backendRequest": "1h30m"}
    assert findings(route) == []


def test_reports_websocket_path_sent_to_the_backend():
    """A rule of its own for /api/ws, straight to the backend, skips the frontend's proxy."""
    route = httproute()
    route.body["spec"]["rules"].insert(
        0,
        {
            "matches": [{"path": {"type": "Exact", "value": "/api/ws"}}],
            "backendRefs": [{"name": BACKEND, "port": 8000}],
            "timeouts": {"request": "1h", "backendRequest": "1h"},
        },
    )
    (finding,) = findings(route)
    assert finding.startswith(f"HTTPRoute/todo spec.rules[0].backendRefs[0].name: routes to Service/{BACKEND}")


def test_validates_httproute_against_the_gateway_api_crd():
    assert kubeschema.schema_findings(httproute(), "1.34.0") == []
    broken = copy.deepcopy(httproute().body)
    broken["spec"]["rules"][0]["matches"][0]["path"]["type"] = "Prefix"  # the Ingress's word
    broken["spec"]["rules"][0]["timeouts"] = {"request": "1 hour", "idle": "1h"}
    found = kubeschema.schema_findings(manifests.Manifest(broken), "1.34.0")
    assert [f.where for f in found] == [
        "spec.rules.0.matches.0.path.type",
        "spec.rules.0.timeouts",  # strict, like the core kinds: 'idle' is no field
        "spec.rules.0.timeouts.request",
    ]
    assert "'Prefix' is not one of" in found[0].problem and "'1 hour' does not match" in found[2].problem
    beta = manifests.Manifest({**httproute().body, "apiVersion": "gateway.networking.k8s.io/v9"})
    assert kubeschema.schema_findings(beta, "1.34.0")[0].where == "apiVersion"
