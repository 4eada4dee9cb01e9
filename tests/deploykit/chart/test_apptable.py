"""deploykit.chart.apptable: the backend's route table read from its code, and the checks of the
OpenAPI document and the frontend's proxy against it, each failing on a broken copy."""

import json
import shutil
import textwrap

import pytest

from deploykit.chart import apptable
from deploykit.foundation import paths


def _package(root, files: dict) -> object:
    for name, text in files.items():
        path = root / "app" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    return root / "app"


NESTED = {
    "__init__.py": 'PREFIX = "/api"\n',
    "items.py": """
        from fastapi import APIRouter
        from app import PREFIX
        router = APIRouter(prefix=f"{PREFIX}/items")
        hidden = APIRouter(include_in_schema=False)

        @router.get("")
        @router.api_route("/{item_id}", methods=["PUT", "DELETE"])
        async def read(): ...

        @router.websocket("/feed")
        async def feed(): ...

        @hidden.get("/debug")
        async def debug(): ...
    """,
    "main.py": """
        from fastapi import APIRouter, FastAPI
        from app import items
        v1 = APIRouter(prefix="/v1")
        v1.include_router(items.router)
        app = FastAPI()

        @app.get("/healthz")
        async def healthz(): ...

        def build(settings):
            app.include_router(v1, prefix="/edge")
            if settings.debug:
                app.include_router(items.hidden)
    """,
}


def test_reads_routes_under_the_prefixes_that_mount_them(tmp_path):
    table = apptable.route_table(_package(tmp_path, NESTED))
    assert {(r.method, r.path, r.in_schema, r.always) for r in table} == {
        ("GET", "/healthz", True, True),
        ("GET", "/edge/v1/api/items", True, True),
        ("PUT", "/edge/v1/api/items/{item_id}", True, True),
        ("DELETE", "/edge/v1/api/items/{item_id}", True, True),
        (apptable.WEBSOCKET, "/edge/v1/api/items/feed", True, True),
        ("GET", "/debug", False, False),
    }
    assert next(r for r in table if r.path == "/healthz").where == f"{tmp_path.name}/app/main.py:8"


def test_refuses_a_path_built_at_run_time(tmp_path):
    files = {"main.py": "from fastapi import FastAPI\napp = FastAPI()\n\n@app.get(make_path())\nasync def f(): ...\n"}
    with pytest.raises(ValueError, match="main.py:4: the route's path"):
        apptable.route_table(_package(tmp_path, files))


@pytest.fixture
def backend_copy(tmp_path):
    """backend/app and backend/openapi.json, copied to be broken."""
    shutil.copytree(paths.BACKEND / "app", tmp_path / "backend" / "app", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(paths.BACKEND / "openapi.json", tmp_path / "backend" / "openapi.json")
    return tmp_path / "backend"


def test_passes_the_committed_openapi_document():
    table = apptable.route_table(paths.BACKEND / "app")
    assert apptable.openapi_findings(table, paths.BACKEND / "openapi.json", "backend/openapi.json") == []


def test_reports_a_route_renamed_in_code_but_not_in_the_document(backend_copy):
    health = backend_copy / "app" / "api" / "routes" / "health.py"
    health.write_text(health.read_text().replace('@router.get("/readyz"', '@router.get("/ready"'))
    findings = apptable.openapi_findings(
        apptable.route_table(backend_copy / "app"), backend_copy / "openapi.json", "backend/openapi.json"
    )
    assert [(f.subject, f.where) for f in findings] == [
        ("backend/openapi.json", "paths./readyz.get"),
        ("backend/openapi.json", "paths./ready.get"),
    ]
    assert "no route in the code serves it" in findings[0].problem
    assert "backend/app/api/routes/health.py:47 serves it" in findings[1].problem


def test_reports_an_operation_the_code_no_longer_has(backend_copy):
    document = backend_copy / "openapi.json"
    listed = json.loads(document.read_text())
    listed["paths"]["/api/tasks"]["put"] = {}
    document.write_text(json.dumps(listed))
    (finding,) = apptable.openapi_findings(apptable.route_table(backend_copy / "app"), document, "openapi.json")
    assert finding.where == "paths./api/tasks.put"


TABLE = [
    apptable.Route("GET", "/api/health", True, True, "health.py:1"),
    apptable.Route(apptable.WEBSOCKET, "/api/ws", True, True, "live.py:1"),
    apptable.Route("GET", "/api/debug/slow", False, False, "debug.py:1"),
]


def test_passes_a_proxy_to_served_routes():
    assert apptable.proxy_findings({"/api/": False, "/api/ws": True}, TABLE, "nginx.conf") == []


def test_reports_a_proxy_location_the_backend_does_not_serve():
    (finding,) = apptable.proxy_findings({"/api/": False, "/api/ws": True, "/apx/": False}, TABLE, "nginx.conf")
    assert (finding.subject, finding.where) == ("nginx.conf", "location /apx/")
    (finding,) = apptable.proxy_findings({"/api/": False, "/api/ws": True, "/api/debug/slow": True}, TABLE, "n")
    assert finding.where == "location = /api/debug/slow", "a route only some settings mount does not count"


def test_reports_a_websocket_behind_the_api_prefix_only():
    (finding,) = apptable.proxy_findings({"/api/": False}, TABLE, "nginx.conf")
    assert finding.where == "location = /api/ws" and "live.py:1" in finding.problem
