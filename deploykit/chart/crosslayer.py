"""Facts the chart must agree with, read from the other layers' sources without Docker: the final
stage of a Dockerfile, the settings the backend reads, and what the frontend's nginx serves and
writes. The backend's routes are deploykit.chart.apptable's.
"""

import ast
import json
import re
from dataclasses import dataclass
from pathlib import Path

from deploykit.foundation import paths

# The frontend's nginx config (a template its entrypoint fills in at start) and that entrypoint.
NGINX_CONFIG = paths.FRONTEND / "nginx" / "nginx.conf.template"
FRONTEND_ENTRYPOINT = paths.FRONTEND / "nginx" / "docker-entrypoint.sh"
_VARIABLE = re.compile(r"\$\{(\w+)(?::-([^}]*))?\}|\$(\w+)")


@dataclass(frozen=True)
class ImageFacts:
    """What the final stage of a Dockerfile declares (not what it inherits from its base)."""

    exposed_ports: tuple[int, ...]
    user: str | None  # as written after substitution: "10001:10001", "101", "nginx"
    entrypoint: tuple[str, ...] = ()
    cmd: tuple[str, ...] = ()

    @property
    def uid(self) -> int | None:
        return _numeric(self.user.split(":")[0]) if self.user else None

    @property
    def gid(self) -> int | None:
        return _numeric(self.user.split(":")[1]) if self.user and ":" in self.user else None


def _numeric(text: str) -> int | None:
    return int(text) if text.isdigit() else None


def _instructions(text: str) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, continuation lines joined and comments dropped."""
    joined = re.sub(
        r"\\[ \t]*\n", " ", "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    )
    pairs = []
    for line in joined.splitlines():
        if line.strip():
            instruction, _, arguments = line.strip().partition(" ")
            pairs.append((instruction.upper(), arguments.strip()))
    return pairs


def _substitute(text: str, variables: dict) -> str:
    return _VARIABLE.sub(lambda m: variables.get(m.group(1) or m.group(3)) or (m.group(2) or ""), text)


def final_stage(dockerfile: Path) -> ImageFacts:
    """EXPOSE and USER of the last stage, with ARG defaults and ENV values substituted."""
    instructions = _instructions(Path(dockerfile).read_text())
    starts = [i for i, (instruction, _) in enumerate(instructions) if instruction == "FROM"]
    if not starts:
        raise ValueError(f"{dockerfile} has no FROM instruction")
    global_args = _assignments(a for ins, a in instructions[: starts[0]] if ins == "ARG")
    variables, ports, user = {}, [], None
    commands: dict[str, tuple[str, ...]] = {}
    for instruction, arguments in instructions[starts[-1] + 1 :]:
        if instruction == "ARG":
            for name, default in _assignments([arguments]).items():
                variables[name] = default if default is not None else global_args.get(name)
        elif instruction == "ENV":
            variables.update(_assignments([_substitute(arguments, variables)], env=True))
        elif instruction == "EXPOSE":
            ports += [int(p.split("/")[0]) for p in _substitute(arguments, variables).split()]
        elif instruction == "USER":
            user = _substitute(arguments, variables)
        elif instruction in ("ENTRYPOINT", "CMD"):
            commands[instruction] = _command(arguments)
    return ImageFacts(tuple(ports), user, commands.get("ENTRYPOINT", ()), commands.get("CMD", ()))


def _command(arguments: str) -> tuple[str, ...]:
    """An ENTRYPOINT or CMD as the argument list it runs: exec form as written, shell form
    through /bin/sh -c."""
    if arguments.startswith("["):
        return tuple(json.loads(arguments))
    return ("/bin/sh", "-c", arguments)


def global_arg_defaults(dockerfile: Path) -> dict:
    """The ARGs declared before the first FROM (the bases a build can override), with their defaults."""
    instructions = _instructions(Path(dockerfile).read_text())
    first_from = next((i for i, (instruction, _) in enumerate(instructions) if instruction == "FROM"), 0)
    return _assignments(a for ins, a in instructions[:first_from] if ins == "ARG")


def _assignments(lines, env: bool = False) -> dict:
    """NAME=value pairs of ARG or ENV lines (ARG NAME alone gives None; legacy `ENV NAME value`)."""
    found = {}
    for line in lines:
        if env and "=" not in line.split(" ")[0]:
            name, _, value = line.partition(" ")
            found[name] = value.strip().strip('"')
            continue
        for token in line.split():
            name, has_value, value = token.partition("=")
            found[name] = value.strip('"') if has_value else None
    return found


def settings_fields(config_module: Path, class_name: str = "Settings") -> set[str]:
    """Annotated field names of a pydantic-settings class: the environment variables it reads."""
    tree = ast.parse(Path(config_module).read_text())
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and node.name == class_name:
            return {
                statement.target.id
                for statement in node.body
                if isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name)
            }
    raise ValueError(f"{config_module} defines no class {class_name}")


def assigned_string(tree: ast.Module, name: str) -> str | None:
    """The string a module assigns to name at its top level (`revision = "0002"`), or None."""
    for node in tree.body:
        if not isinstance(node, ast.AnnAssign | ast.Assign):
            continue
        target: ast.expr = node.target if isinstance(node, ast.AnnAssign) else node.targets[0]
        if isinstance(target, ast.Name) and target.id == name and node.value is not None:
            value = ast.literal_eval(node.value)
            return value if isinstance(value, str) else None
    return None


def migration_head(versions: Path) -> str:
    """The Alembic revision no other migration builds on, read from the migration files'
    `revision` and `down_revision` (what `alembic upgrade head` ends at)."""
    revisions, parents = set(), set()
    for script in Path(versions).glob("*.py"):
        tree = ast.parse(script.read_text())
        if (revision := assigned_string(tree, "revision")) is not None:
            revisions.add(revision)
            parents.add(assigned_string(tree, "down_revision"))
    heads = revisions - parents
    if len(heads) != 1:
        raise ValueError(f"{versions} has {len(heads)} Alembic heads {sorted(heads)}, expected one")
    return heads.pop()


# nginx directives whose argument is a path nginx writes to at run time.
NGINX_WRITE_DIRECTIVES = (
    "pid",
    "client_body_temp_path",
    "proxy_temp_path",
    "fastcgi_temp_path",
    "uwsgi_temp_path",
    "scgi_temp_path",
    "access_log",
    "error_log",
)


def nginx_write_paths(config: str) -> dict[str, str]:
    """ "directive path" -> path for every file or directory nginx writes, leaving out the
    standard streams (/dev/stdout, /dev/stderr) and logging that is off."""
    found = {}
    for directive, path in re.findall(rf"^\s*({'|'.join(NGINX_WRITE_DIRECTIVES)})\s+(\S+?)[\s;]", config, re.MULTILINE):
        if path.startswith("/dev/") or path == "off":
            continue
        found[f"{directive} {path}"] = path
    return found


def nginx_locations(config: str) -> set[str]:
    """Paths of the `location` blocks (exact and prefix, not regex or named ones)."""
    return set(re.findall(r"^\s*location\s+(?:=\s*)?(/\S*)\s*\{", config, re.MULTILINE))


def nginx_proxied_locations(config: str) -> dict[str, bool]:
    """Path -> whether the match is exact, for every `location` that proxies (`proxy_pass`):
    what nginx hands to the backend."""
    blocks = re.findall(r"^\s*location\s+(=\s*)?(/\S*)\s*\{([^{}]*)\}", config, re.MULTILINE)
    return {path: bool(exact) for exact, path, body in blocks if re.search(r"^\s*proxy_pass\s", body, re.MULTILINE)}


def nginx_listen_ports(config: str) -> set[int]:
    return {int(port) for port in re.findall(r"^\s*listen\s+(?:\[::\]:|[\d.]+:)?(\d+)", config, re.MULTILINE)}


def under(path: str, directories) -> bool:
    """Whether path is one of the directories or inside one."""
    return any(path == d or path.startswith(d.rstrip("/") + "/") for d in directories)
