"""A Python package read by AST, never imported: the render layer's environment has none of the
backend's dependencies, and importing the app would run its code. What the package's modules
bind at their top level (constants, imports) is enough to follow a name to the string it holds.
"""

import ast
import functools
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Module:
    name: str  # dotted: "app.api.routes.health"
    path: Path
    tree: ast.Module

    @functools.cached_property
    def imports(self) -> dict[str, str]:
        """Local name -> what it names, dotted: `from app.api import API_PREFIX` binds API_PREFIX
        to "app.api.API_PREFIX", `from app.api.routes import health` health to "app.api.routes.health"."""
        bound: dict[str, str] = {}
        for node in self.tree.body:
            if isinstance(node, ast.ImportFrom) and node.module and not node.level:
                bound |= {alias.asname or alias.name: f"{node.module}.{alias.name}" for alias in node.names}
            elif isinstance(node, ast.Import):
                bound |= {alias.asname or alias.name: alias.name for alias in node.names}
        return bound

    @functools.cached_property
    def assignments(self) -> dict[str, ast.expr]:
        """Top-level `NAME = value` (and annotated) bindings."""
        bound = {}
        for node in self.tree.body:
            if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
                bound[node.targets[0].id] = node.value
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value is not None:
                bound[node.target.id] = node.value
        return bound

    def where(self, node: ast.AST | None, shown_from: Path) -> str:
        """ "backend/app/main.py:12": where a finding points a reader."""
        return f"{self.path.relative_to(shown_from).as_posix()}:{getattr(node, 'lineno', 0)}"


class Package:
    """Every module under a package directory, by dotted name (the directory's own name first)."""

    def __init__(self, directory: Path):
        directory = Path(directory)
        self.root = directory.parent  # where dotted names start: backend/ for backend/app
        # Findings name files from the project's folder down: backend/app/main.py.
        self.shown_from = self.root.parent
        self.modules: dict[str, Module] = {}
        for path in sorted(directory.rglob("*.py")):
            parts = path.relative_to(self.root).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            self.modules[name] = Module(name, path, ast.parse(path.read_text(), filename=str(path)))

    def string(self, module: Module, node: ast.expr, seen: frozenset = frozenset()) -> str | None:
        """The string an expression evaluates to, following names through assignments and
        imports; None when it depends on anything that runs (a call, a parameter)."""
        if isinstance(node, ast.Constant):
            return node.value if isinstance(node.value, str) else None
        if isinstance(node, ast.JoinedStr):
            parts = [
                self.string(module, v.value if isinstance(v, ast.FormattedValue) else v, seen) for v in node.values
            ]
            return None if None in parts else "".join(parts)  # type: ignore[arg-type]
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            left, right = self.string(module, node.left, seen), self.string(module, node.right, seen)
            return None if left is None or right is None else left + right
        if isinstance(node, ast.Name):
            return self._name_string(module, node.id, seen)
        return None

    def _name_string(self, module: Module, name: str, seen: frozenset) -> str | None:
        if (module.name, name) in seen:
            return None
        seen = seen | {(module.name, name)}
        if name in (assigned := module.assignments):
            return self.string(module, assigned[name], seen)
        target = module.imports.get(name)
        if target and "." in target:
            owner, _, attribute = target.rpartition(".")
            if owner in self.modules:
                return self._name_string(self.modules[owner], attribute, seen)
        return None

    def resolve(self, module: Module, node: ast.expr) -> tuple[Module, str] | None:
        """The module and top-level name an expression refers to: `health.router` after
        `from app.api.routes import health`, or `router` after `from x import router`."""
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            target = module.imports.get(node.value.id)
            if target in self.modules:
                return self.modules[target], node.attr
        if isinstance(node, ast.Name):
            target = module.imports.get(node.id)
            if target and target.rpartition(".")[0] in self.modules:
                owner, _, attribute = target.rpartition(".")
                return self.modules[owner], attribute
            return module, node.id
        return None


@functools.cache
def package(directory: Path) -> Package:
    """A package read once per session: the checks of every variant read the same source."""
    return Package(directory)


def keyword(call: ast.Call, name: str) -> ast.expr | None:
    return next((k.value for k in call.keywords if k.arg == name), None)


def call_name(node: ast.AST) -> str | None:
    """The last part of the called name: "APIRouter" for `fastapi.APIRouter(...)` or `APIRouter(...)`."""
    if not isinstance(node, ast.Call):
        return None
    function = node.func
    return function.attr if isinstance(function, ast.Attribute) else getattr(function, "id", None)
