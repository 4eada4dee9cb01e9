"""What the containers' own start-up code really does, read from it: the port the backend's server
binds (its command line as the pod runs it, then the argparse default and the uvicorn call of the
module it starts) and the environment variables the frontend's entrypoint script reads.

A port that only the Dockerfile's EXPOSE or the chart's values state, or a variable the script
stopped reading, passes every check that compares copies with each other; these read the code.
"""

import ast
import functools
import re
from dataclasses import dataclass
from pathlib import Path

from deploykit.chart import crosslayer, pysource
from deploykit.chart.crosslayer import ImageFacts
from deploykit.chart.pysource import call_name, keyword
from deploykit.foundation import paths
from deploykit.foundation.findings import Finding

# uvicorn binds this when its Config or run call names no port.
UVICORN_DEFAULT_PORT = 8000
_SHELL_REFERENCE = re.compile(r"\$\{?([A-Za-z_]\w*)")
_SHELL_ASSIGNMENT = re.compile(r"^\s*(?:export\s+)?([A-Za-z_]\w*)=", re.MULTILINE)


def pod_command(image: ImageFacts, container: dict) -> list[str]:
    """The argument list the container runs: `command` replaces the image's ENTRYPOINT (and drops
    its CMD), `args` replaces the CMD."""
    if "command" in container:
        return [*container["command"], *container.get("args", [])]
    return [*image.entrypoint, *container.get("args", image.cmd)]


def _option(command: list[str], name: str) -> str | None:
    for index, argument in enumerate(command):
        if argument == name and index + 1 < len(command):
            return command[index + 1]
        if argument.startswith(name + "="):
            return argument.split("=", 1)[1]
    return None


def bound_port(command: list[str], app_root: Path) -> int:
    """The port a `python -m <module> [--port N]` command's server binds: --port on the command
    line, else what the module passes uvicorn (a number, or its own --port option's default)."""
    if (given := _option(command, "--port")) is not None:
        return int(given)
    if command[1:2] != ["-m"] or len(command) < 3:
        raise ValueError(f"{command} does not start a Python module this reader can follow")
    package = pysource.package(Path(app_root) / command[2].split(".")[0])
    module = package.modules.get(command[2])
    if module is None:
        raise ValueError(f"{command[2]} is not a module under {app_root}")
    port_default = None
    for node in ast.walk(module.tree):
        if isinstance(node, ast.Call) and call_name(node) == "add_argument" and node.args:
            if isinstance(node.args[0], ast.Constant) and node.args[0].value == "--port":
                port_default = ast.literal_eval(keyword(node, "default") or ast.Constant(None))
    for node in ast.walk(module.tree):
        if isinstance(node, ast.Call) and call_name(node) in ("Config", "run"):
            port = keyword(node, "port")
            if port is None:
                return UVICORN_DEFAULT_PORT
            if isinstance(port, ast.Constant):
                return int(port.value)  # type: ignore[arg-type]
            if isinstance(port, ast.Attribute) and port.attr == "port" and port_default is not None:
                return port_default
            raise ValueError(f"{module.where(node, package.shown_from)}: uvicorn's port is set at run time")
    raise ValueError(f"{module.path} starts no uvicorn server")


@functools.cache
def _backend_image() -> ImageFacts:
    return crosslayer.final_stage(paths.BACKEND / "Dockerfile")


def listening_ports(component: str | None, container: dict) -> tuple[set[int], str]:
    """The ports the component's server binds in this container, and what says so."""
    if component == "backend":
        command = pod_command(_backend_image(), container)
        return {bound_port(command, paths.BACKEND)}, f"`{' '.join(command)}`"
    if component == "frontend":
        return crosslayer.nginx_listen_ports(
            crosslayer.NGINX_CONFIG.read_text()
        ), f"{_shown(crosslayer.NGINX_CONFIG)}'s listen"
    raise ValueError(f"no server of this project runs as component {component!r}")


def port_findings(manifest_ref: str, container: dict, bound: set[int], by: str) -> list[Finding]:
    """The container declares exactly the ports its server binds (listening_ports): probes and
    the Service target them."""
    declared = {p["containerPort"] for p in container.get("ports", [])}
    if declared != bound:
        return [
            Finding(
                manifest_ref,
                f"containers[{container['name']}].ports",
                f"declares {sorted(declared)}, but {by} binds {sorted(bound)}",
            )
        ]
    return []


def script_variables(script: str) -> set[str]:
    """The environment variables a shell script reads: every `$NAME` or `${NAME...}` it does not
    assign itself (comments left out)."""
    code = "\n".join(line for line in script.splitlines() if not line.lstrip().startswith("#"))
    return set(_SHELL_REFERENCE.findall(code)) - set(_SHELL_ASSIGNMENT.findall(code))


@dataclass(frozen=True)
class VariableReader:
    """The start-up code that reads a container's environment."""

    names: set[str]
    all_needed: bool  # whether the chart must set every one (no working default)
    where: str


def read_variables(component: str | None) -> VariableReader:
    """The frontend's entrypoint reads few variables, each with a meaning (BACKEND_URL unset
    answers 502); the backend's settings all have working defaults."""
    if component == "backend":
        config = paths.BACKEND / "app" / "core" / "config.py"
        return VariableReader(crosslayer.settings_fields(config), False, f"{_shown(config)}'s Settings")
    if component == "frontend":
        script = crosslayer.FRONTEND_ENTRYPOINT
        return VariableReader(script_variables(script.read_text()), True, _shown(script))
    raise ValueError(f"no server of this project runs as component {component!r}")


def environment_findings(manifest_ref: str, container: dict, given: set[str], reader: VariableReader) -> list[Finding]:
    """The pod sets only variables its start-up code reads (one it no longer reads does nothing,
    silently), and, where the code needs them, all of them."""
    field = f"containers[{container['name']}].env"
    findings = [
        Finding(manifest_ref, f"{field}.{name}", f"set, but {reader.where} never reads it")
        for name in sorted(given - reader.names)
    ]
    if reader.all_needed:
        findings += [
            Finding(manifest_ref, f"{field}.{name}", f"{reader.where} reads it, but the pod leaves it unset")
            for name in sorted(reader.names - given)
        ]
    return findings


def _shown(path: Path) -> str:
    return path.relative_to(paths.REPO).as_posix() if path.is_relative_to(paths.REPO) else str(path)
