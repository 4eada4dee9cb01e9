"""The backend's ASGI route table, read from its source (backend/app/) by AST: the routes its
routers declare (`@router.get("/healthz")`), under the prefixes of the routers and of the
`include_router` calls that mount them. The chart's probes, its helm tests and the frontend's
nginx proxy are checked against this table rather than against backend/openapi.json, which is a
generated copy that can be stale, and which leaves out WebSocket routes and routes hidden from
the schema.
"""

import ast
import json
from dataclasses import dataclass
from pathlib import Path

from deploykit.chart import pysource
from deploykit.chart.pysource import Module, Package, call_name, keyword
from deploykit.foundation.findings import Finding

HTTP_METHODS = ("get", "post", "put", "patch", "delete", "head", "options", "trace")
WEBSOCKET = "WEBSOCKET"
ROUTER_CLASSES = ("APIRouter", "FastAPI")


@dataclass(frozen=True)
class Route:
    method: str  # "GET", ..., or WEBSOCKET
    path: str  # the full template, prefixes included: "/api/tasks/{task_id}"
    in_schema: bool  # FastAPI lists it in the OpenAPI document
    always: bool  # mounted whatever the settings (no include_router under an `if`)
    where: str  # the decorator: "backend/app/api/routes/health.py:41"


@dataclass(frozen=True)
class _Router:
    prefix: str
    in_schema: bool
    routes: tuple[Route, ...]  # relative to the router's own prefix
    application: bool  # a FastAPI() object, which serves its routes without being included


@dataclass(frozen=True)
class _Include:
    includer: tuple[str, str] | None  # a router's (module, name); None for the application
    included: tuple[str, str]
    prefix: str
    always: bool


def _text(package: Package, module: Module, node: ast.expr | None, what: str) -> str:
    value = "" if node is None else package.string(module, node)
    if value is None:
        raise ValueError(f"{module.where(node, package.shown_from)}: {what} is not a string the source fixes")
    return value


def _schema_flag(call: ast.Call) -> bool:
    flag = keyword(call, "include_in_schema")
    return not (isinstance(flag, ast.Constant) and flag.value is False)


def _decorated_routes(package: Package) -> dict[tuple[str, str], list[Route]]:
    """Routes by the router they are decorated on ((module, name), wherever it is defined),
    each with its own path."""
    found: dict[tuple[str, str], list[Route]] = {}
    for module in package.modules.values():
        for node in ast.walk(module.tree):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for decorator in node.decorator_list:
                function = getattr(decorator, "func", None)
                if not isinstance(function, ast.Attribute) or not isinstance(decorator, ast.Call):
                    continue
                if function.attr in HTTP_METHODS:
                    methods = [function.attr.upper()]
                elif function.attr == "websocket":
                    methods = [WEBSOCKET]
                elif function.attr == "api_route":
                    listed = keyword(decorator, "methods")
                    methods = [str(m.value).upper() for m in getattr(listed, "elts", []) if isinstance(m, ast.Constant)]
                else:
                    continue
                router = package.resolve(module, function.value)
                if router is None:
                    continue
                path_node = decorator.args[0] if decorator.args else keyword(decorator, "path")
                path = _text(package, module, path_node, "the route's path")
                where = module.where(decorator, package.shown_from)
                found.setdefault((router[0].name, router[1]), []).extend(
                    Route(m, path, _schema_flag(decorator), True, where) for m in methods
                )
    return found


def _routers(package: Package) -> dict[tuple[str, str], _Router]:
    """Every top-level `name = APIRouter(...)` or `FastAPI(...)`, by (module, name)."""
    decorated = _decorated_routes(package)
    found = {}
    for module in package.modules.values():
        for name, value in module.assignments.items():
            if isinstance(value, ast.Call) and call_name(value) in ROUTER_CLASSES:
                prefix = _text(package, module, keyword(value, "prefix"), f"{name}'s prefix")
                routes = tuple(decorated.get((module.name, name), ()))
                found[(module.name, name)] = _Router(prefix, _schema_flag(value), routes, call_name(value) == "FastAPI")
    return found


def _includes(package: Package, routers: dict) -> list[_Include]:
    """Every `<x>.include_router(<router>, prefix=...)`; x is another router or the application."""
    found = []

    def visit(module: Module, node: ast.AST, always: bool) -> None:
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "include_router":
            included = package.resolve(module, node.args[0])
            if included is None or (included[0].name, included[1]) not in routers:
                raise ValueError(f"{module.where(node, package.shown_from)}: includes a router this reader cannot find")
            includer = package.resolve(module, node.func.value)
            key = (includer[0].name, includer[1]) if includer else None
            found.append(
                _Include(
                    key if key in routers else None,
                    (included[0].name, included[1]),
                    _text(package, module, keyword(node, "prefix"), "the include's prefix"),
                    always,
                )
            )
        conditional = isinstance(node, ast.If | ast.IfExp | ast.For | ast.While | ast.Try | ast.With)
        for child in ast.iter_child_nodes(node):
            visit(module, child, always and not conditional)

    for module in package.modules.values():
        visit(module, module.tree, True)
    return found


def route_table(app_directory: Path) -> list[Route]:
    """Every route the application serves, read from the package at app_directory (backend/app):
    the routes of FastAPI() objects and of the routers included into the application, recursively,
    each under its full path. Raises ValueError where the source builds a path at run time."""
    package = pysource.package(Path(app_directory))
    routers = _routers(package)
    includes = _includes(package, routers)
    table: list[Route] = []

    def mount(key, prefix: str, in_schema: bool, always: bool, trail: tuple) -> None:
        router = routers[key]
        prefix, in_schema = prefix + router.prefix, in_schema and router.in_schema
        for route in router.routes:
            table.append(Route(route.method, prefix + route.path, in_schema and route.in_schema, always, route.where))
        for include in includes:
            if include.includer == key and include.included not in trail:
                mount(include.included, prefix + include.prefix, in_schema, always and include.always, (*trail, key))

    for key, router in routers.items():
        if router.application:
            mount(key, "", True, True, ())
    for include in includes:
        if include.includer is None:
            mount(include.included, include.prefix, True, include.always, ())
    return sorted(set(table), key=lambda r: (r.path, r.method))


def served(table: list[Route], method: str, path: str) -> bool:
    """Whether the application serves method on path whatever its settings."""
    return any(r.always and r.method == method and r.path == path for r in table)


# -- the generated copy ---------------------------------------------------------------------------


def openapi_operations(document: Path) -> set[tuple[str, str]]:
    """(METHOD, path) of every operation in an OpenAPI document."""
    paths = json.loads(Path(document).read_text()).get("paths", {})
    return {(method.upper(), path) for path, operations in paths.items() for method in operations}


def openapi_findings(table: list[Route], document: Path, subject: str) -> list[Finding]:
    """The document lists exactly the schema routes the application serves under its default
    settings (which is how the backend generates it): one finding per operation it has that no
    route serves, and per route it lacks."""
    listed = openapi_operations(document)
    expected = {(r.method, r.path): r for r in table if r.in_schema and r.always and r.method != WEBSOCKET}
    regenerate = "regenerate it: `python -m app.api.openapi_document` in backend/"
    findings = [
        Finding(subject, f"paths.{path}.{method.lower()}", f"no route in the code serves it; {regenerate}")
        for method, path in sorted(listed - set(expected))
    ]
    findings += [
        Finding(
            subject,
            f"paths.{path}.{method.lower()}",
            f"missing, but {expected[(method, path)].where} serves it; {regenerate}",
        )
        for method, path in sorted(set(expected) - listed)
    ]
    return findings


# -- the frontend's proxy ---------------------------------------------------------------------------


def proxy_findings(locations: dict[str, bool], table: list[Route], subject: str) -> list[Finding]:
    """Every nginx location that proxies to the backend (path -> exact match) reaches a route it
    serves whatever its settings: an exact location that route's path, a prefix location the
    start of one. A WebSocket route has an exact location of its own, so an idle socket gets a
    read timeout of its own rather than the API's."""
    served_paths = {r.path for r in table if r.always}
    findings = [
        Finding(
            subject,
            f"location {'= ' if exact else ''}{path}",
            f"proxies to the backend, which serves no route {'at' if exact else 'under'} it",
        )
        for path, exact in sorted(locations.items())
        if not (path in served_paths if exact else any(p.startswith(path) for p in served_paths))
    ]
    findings += [
        Finding(
            subject,
            f"location = {route.path}",
            f"missing: the WebSocket route ({route.where}) would go through "
            "a prefix location, under the read timeout meant for API requests",
        )
        for route in table
        if route.method == WEBSOCKET and route.always and locations.get(route.path) is not True
    ]
    return findings
