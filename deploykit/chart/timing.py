"""Timing chains across the layers, each read where it is really set: how long a server drains
after its stop signal (in its own code or config, and in the environment the pod gives it), and
what the pod allows for it (the preStop pause, terminationGracePeriodSeconds).

A pod's shutdown runs: preStop pause, stop signal, the server's drain, SIGKILL at the grace
period. The chart's values only say what the chart believes the drain is; a drain fixed in a
config file or left at the code's default ends wherever the code says, and SIGKILL cuts
whatever is still in flight.
"""

import ast
import functools
import re
from dataclasses import dataclass
from pathlib import Path

from deploykit.chart import crosslayer, podenv, pysource
from deploykit.chart.manifests import Manifest, Rendering
from deploykit.chart.pysource import Module, Package, keyword
from deploykit.foundation import paths
from deploykit.foundation.findings import Finding

# Time between the drain's end and SIGKILL that absorbs a slow node.
GRACE_MARGIN_SECONDS = 5
# The uvicorn.Config keyword that bounds the backend's drain.
UVICORN_DRAIN_KEYWORD = "timeout_graceful_shutdown"
_NGINX_DURATION = re.compile(r"^(\d+)(ms|s|m|h)?$")
_NGINX_UNITS = {"ms": 0.001, "s": 1, None: 1, "m": 60, "h": 3600}
_PLACEHOLDER = re.compile(r"^__(\w+)__")


@dataclass(frozen=True)
class ServerDrain:
    """How long a server lets in-flight requests run after its stop signal, as its code sets it."""

    default_seconds: float | None  # None: unbounded (it waits for every connection to close)
    variable: str | None  # the environment variable that overrides the default; None: fixed
    where: str  # where the setting is: "frontend/nginx/nginx.conf.template", "backend/app/core/serve.py:71"


# -- reading the servers ----------------------------------------------------------------------


def _settings_field(package: Package, field: str) -> tuple[Module, ast.AnnAssign, str]:
    """The pydantic-settings field and the environment variable it reads (env_prefix + name)."""
    for module in package.modules.values():
        for node in module.tree.body:
            if not isinstance(node, ast.ClassDef):
                continue
            prefix = ""
            for statement in node.body:
                if isinstance(statement, ast.Assign) and getattr(statement.targets[0], "id", "") == "model_config":
                    prefix_node = (
                        keyword(statement.value, "env_prefix") if isinstance(statement.value, ast.Call) else None
                    )
                    prefix = (package.string(module, prefix_node) or "") if prefix_node else ""
            for statement in node.body:
                if isinstance(statement, ast.AnnAssign) and getattr(statement.target, "id", None) == field:
                    return module, statement, prefix + field
    raise ValueError(f"no settings class in {package.root} declares {field}")


def _field_default(statement: ast.AnnAssign) -> float | None:
    value = statement.value
    if isinstance(value, ast.Call):  # Field(default=15, ge=0)
        value = keyword(value, "default") or (value.args[0] if value.args else None)
    return ast.literal_eval(value) if value is not None else None


def backend_drain(app_directory: Path) -> ServerDrain:
    """The drain uvicorn is given (`timeout_graceful_shutdown=` in the package's uvicorn.Config
    call): a number, or a settings field, which reads the environment variable of its name."""
    package = pysource.package(Path(app_directory))
    for module in package.modules.values():
        for node in ast.walk(module.tree):
            value = keyword(node, UVICORN_DRAIN_KEYWORD) if isinstance(node, ast.Call) else None
            if value is None:
                continue
            where = module.where(node, package.shown_from)
            if isinstance(value, ast.Constant):
                return ServerDrain(float(value.value), None, where)  # type: ignore[arg-type]
            if isinstance(value, ast.Attribute):  # settings.SHUTDOWN_GRACE_SECONDS
                field_module, field, variable = _settings_field(package, value.attr)
                return ServerDrain(_field_default(field), variable, field_module.where(field, package.shown_from))
            raise ValueError(f"{where}: {UVICORN_DRAIN_KEYWORD} is neither a number nor a settings field")
    # uvicorn's own default: it waits for every connection.
    return ServerDrain(None, None, f"{app_directory}: no {UVICORN_DRAIN_KEYWORD}")


def nginx_drain(config: Path, entrypoint: Path) -> ServerDrain:
    """nginx's `worker_shutdown_timeout`: a duration, or a `__NAME__` placeholder the entrypoint
    replaces with $NAME (its default the script's `${NAME:-default}`). Without the directive
    nginx waits for every connection, an idle WebSocket's too."""
    shown = f"{config.parent.parent.name}/{config.parent.name}/{config.name}"
    found = re.search(r"^\s*worker_shutdown_timeout\s+(\S+);", config.read_text(), re.MULTILINE)
    if not found:
        return ServerDrain(None, None, shown)
    value = found.group(1)
    if placeholder := _PLACEHOLDER.match(value):
        variable = placeholder.group(1)
        default = re.search(rf"\$\{{{variable}:-(\w+)\}}", entrypoint.read_text())
        return ServerDrain(nginx_seconds(default.group(1)) if default else None, variable, shown)
    return ServerDrain(nginx_seconds(value), None, shown)


def nginx_seconds(duration: str) -> float:
    """An nginx time ("15s", "1m", "500ms", "1h", "30") in seconds."""
    found = _NGINX_DURATION.match(duration)
    if not found:
        raise ValueError(f"{duration!r} is not an nginx time this reader knows")
    return int(found.group(1)) * _NGINX_UNITS[found.group(2)]


@functools.cache
def server_drain(component: str | None) -> ServerDrain:
    """The drain of the chart's component's server, read from this repository once."""
    if component == "backend":
        return backend_drain(paths.BACKEND / "app")
    if component == "frontend":
        return nginx_drain(crosslayer.NGINX_CONFIG, crosslayer.FRONTEND_ENTRYPOINT)
    raise ValueError(f"no server of this project runs as component {component!r}")


# -- the pod's side ------------------------------------------------------------------------------


def pre_stop_seconds(container: dict) -> int:
    pre_stop = (container.get("lifecycle") or {}).get("preStop") or {}
    if "sleep" in pre_stop:
        return pre_stop["sleep"].get("seconds", 0)
    command = (pre_stop.get("exec") or {}).get("command") or [""]
    return int(command[-1]) if command[0].endswith("sleep") else 0


def _container_path(manifest: Manifest, container: dict) -> str:
    return f"{manifest.pod_spec_path}.containers[{container['name']}]"


def drain_set_findings(rendering: Rendering, manifest: Manifest, container: dict, server: ServerDrain) -> list[Finding]:
    """The pod sets the variable the server reads its drain from: the grace period is sized from
    the chart's drain, which is only the server's when the chart passes it."""
    path = _container_path(manifest, container)
    if server.variable is None:
        return [
            Finding(
                manifest.ref,
                f"{path}.env",
                f"the server's drain is fixed in {server.where}: the chart "
                "cannot set it, so its shutdown.drainSeconds says nothing about the server",
            )
        ]
    if server.variable not in podenv.environment(rendering, container):
        return [
            Finding(
                manifest.ref,
                f"{path}.env.{server.variable}",
                f"unset: the server drains for its default "
                f"{server.default_seconds} s ({server.where}), which the grace period was not sized from",
            )
        ]
    return []


def drain_seconds(rendering: Rendering, container: dict, server: ServerDrain) -> float | None:
    """How long the server drains in this pod: the variable the pod sets, or the server's default."""
    value = podenv.environment(rendering, container).get(server.variable or "")
    return float(value) if value is not None else server.default_seconds


def shutdown_chain_findings(
    rendering: Rendering, manifest: Manifest, container: dict, server: ServerDrain
) -> list[Finding]:
    """preStop pause + the drain as the server really runs it + a margin fit in the grace period,
    so SIGKILL never cuts a request the server is still finishing."""
    grace = manifest.owner_pod_spec.get("terminationGracePeriodSeconds", 30)
    pause, drain = pre_stop_seconds(container), drain_seconds(rendering, container, server)
    field = f"{manifest.pod_spec_path}.terminationGracePeriodSeconds"
    if drain is None:
        return [
            Finding(
                manifest.ref,
                field,
                f"the server's drain has no bound ({server.where}): SIGKILL at {grace} s "
                "cuts whatever connection is still open, however long it would have taken",
            )
        ]
    needed = pause + drain + GRACE_MARGIN_SECONDS
    if grace < needed:
        return [
            Finding(
                manifest.ref,
                field,
                f"{grace} s does not cover preStop {pause} s + the server's drain "
                f"{drain:g} s ({server.where}) + margin {GRACE_MARGIN_SECONDS} s = {needed:g} s",
            )
        ]
    return []
