"""deploykit.chart.helmtests and .backendroutes: the chart's shape of `helm test` pod passes; a test
aimed at a container port or at a host that is no Service of the release, and a database test whose
endpoint never queries the database, each fail with a finding naming the pod and the field. The
backend's routes are read from backend/app as the render layer reads them."""

import pytest

from deploykit.chart import backendroutes, helmtests, manifests
from deploykit.foundation import paths

FIELD = "spec.containers[check].env[URLS]"


@pytest.fixture(scope="module")
def facts() -> helmtests.Facts:
    return helmtests.read_facts(paths.BACKEND / "app", paths.FRONTEND / "nginx" / "nginx.conf.template")


def service(component: str, port: int, target: int) -> manifests.Manifest:
    return manifests.Manifest(
        {
            "kind": "Service",
            "metadata": {"name": f"todo-{component}", "labels": {"app.kubernetes.io/component": component}},
            "spec": {
                "selector": {"app.kubernetes.io/component": component},
                "ports": [{"name": "http", "port": port, "targetPort": "http"}],
            },
        }
    )


def deployment(component: str, port: int) -> manifests.Manifest:
    labels = {"app.kubernetes.io/component": component}
    return manifests.Manifest(
        {
            "kind": "Deployment",
            "metadata": {"name": f"todo-{component}"},
            "spec": {
                "template": {
                    "metadata": {"labels": labels},
                    "spec": {"containers": [{"name": "app", "ports": [{"name": "http", "containerPort": port}]}]},
                }
            },
        }
    )


def helm_test(claim: str, *urls: str) -> manifests.Manifest:
    return manifests.Manifest(
        {
            "kind": "Pod",
            "metadata": {"name": f"todo-test-{claim}", "annotations": {"helm.sh/hook": "test"}},
            "spec": {"containers": [{"name": "check", "env": [{"name": "URLS", "value": " ".join(urls)}]}]},
        }
    )


RELEASE = manifests.Rendering(
    (service("frontend", 80, 8080), deployment("frontend", 8080), service("backend", 8000, 8000),
     deployment("backend", 8000))
)


def findings(pod: manifests.Manifest, facts) -> list[str]:
    return [str(f) for check in helmtests.CHECKS.values() for f in check(RELEASE, pod, facts)]


def test_passes_the_chart_s_own_tests(facts):
    assert findings(helm_test("frontend", "http://todo-frontend:80/", "http://todo-frontend/healthz"), facts) == []
    assert findings(helm_test("database", "http://todo-backend.todo.svc.cluster.local:8000/readyz"), facts) == []
    assert findings(helm_test("api-proxy", "http://todo-frontend:80/api/health"), facts) == []


def test_reports_a_test_aimed_at_the_container_port(facts):
    assert findings(helm_test("frontend", "http://todo-frontend:8080/"), facts) == [
        f"Pod/todo-test-frontend {FIELD}: GETs http://todo-frontend:8080/: 8080 is the container's port "
        "(targetPort), not the Service's; Service/todo-frontend listens on [80]"
    ]


def test_reports_a_host_that_is_no_service_of_the_release(facts):
    (finding, _) = findings(helm_test("frontend", "http://todo-web:80/"), facts)
    assert finding == (
        f"Pod/todo-test-frontend {FIELD}: GETs http://todo-web:80/: 'todo-web' is not a Service of the release, "
        "so the test checks something else or nothing"
    )
    assert "'example.com' is not a Service" in findings(helm_test("frontend", "http://example.com/"), facts)[0]


@pytest.mark.parametrize("path", ["/healthz", "/metrics"])
def test_reports_a_database_test_whose_endpoint_never_queries_it(path, facts):
    handler = {"/healthz": "read_liveness", "/metrics": "read_metrics"}[path]
    assert findings(helm_test("database", f"http://todo-backend:8000{path}"), facts) == [
        "Pod/todo-test-database claim database: no URL it GETs reaches a backend route that queries the "
        f"database: {path} (app.api.routes.health.{handler})"
    ]


def test_reports_an_api_proxy_test_that_bypasses_the_proxy_and_a_claim_nobody_checks(facts):
    (finding,) = findings(helm_test("api-proxy", "http://todo-backend:8000/api/health"), facts)
    assert finding.startswith("Pod/todo-test-api-proxy claim api-proxy: no URL it GETs goes through the frontend")
    (finding,) = findings(helm_test("frontend", "http://todo-frontend/api/health"), facts)
    assert "which the frontend does not serve itself" in finding
    (finding,) = findings(helm_test("cache", "http://todo-frontend/"), facts)
    assert finding.startswith("Pod/todo-test-cache metadata.name: claims 'cache'")


def test_reads_which_backend_routes_query_the_database():
    routes = backendroutes.get_routes(paths.BACKEND / "app")
    assert {path: routes[path].touches_database for path in ("/readyz", "/api/health", "/healthz", "/metrics")} == {
        "/readyz": True,  # through _ensure_ready, database_is_reachable and _ping's engine.connect()
        "/api/health": True,
        "/healthz": False,
        "/metrics": False,
    }


def test_follows_dependencies_and_imports_to_the_query(tmp_path):
    package = tmp_path / "app"
    package.mkdir()
    (package / "__init__.py").write_text('PREFIX = "/api"\n')
    (package / "store.py").write_text(
        "from sqlmodel import Session, select\n\n"
        "def count(session: Session):\n    return session.exec(select(1))\n\n"
        "def label(session):\n    return session.info\n"
    )
    (package / "routes.py").write_text(
        "from typing import Annotated\nfrom fastapi import APIRouter, Depends\nfrom app import PREFIX\n"
        "from app import store\nfrom app.store import label\n\n"
        'router = APIRouter(prefix=f"{PREFIX}/items")\n'
        "Counted = Annotated[int, Depends(store.count)]\n\n"
        '@router.get("/count")\ndef read_count(n: Counted):\n    return n\n\n'
        '@router.get("/label")\ndef read_label():\n    return label(None)\n'
    )
    routes = backendroutes.get_routes(package)
    assert {path: (r.handler, r.touches_database) for path, r in routes.items()} == {
        "/api/items/count": ("app.routes.read_count", True),
        "/api/items/label": ("app.routes.read_label", False),
    }
