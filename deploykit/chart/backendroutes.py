"""The backend's GET routes and whether each reaches the database, read from backend/app by AST:
the render layer never imports the backend (it runs without the backend's dependencies).

A route's path is its router's `prefix` (a string, or an f-string of module constants) plus the
decorator's path; `include_router(..., prefix=...)` is not read, and the backend passes none. A
handler reaches the database when, following every backend function and module-level name it
refers to (its dependencies through `Depends` and `Annotated` aliases, functions passed to
`partial`), some code calls a function imported from a database library (`select`, `text`) or a
method of a parameter annotated with one of its types (`session: Session`, `engine: Engine`).
Classes are not followed: the models import sqlmodel without querying anything.
"""

import ast
from dataclasses import dataclass
from pathlib import Path

DATABASE_LIBRARIES = ("sqlalchemy", "sqlmodel", "psycopg")


@dataclass(frozen=True)
class Route:
    path: str
    handler: str  # module.function
    touches_database: bool


class _Package:
    """Every module of the package: its top-level functions and assignments, and what it imports
    from the package or from a database library."""

    def __init__(self, package: Path):
        self.modules: dict[str, ast.Module] = {}
        for file in sorted(package.rglob("*.py")):
            parts = file.relative_to(package.parent).with_suffix("").parts
            self.modules[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = ast.parse(file.read_text())
        self.names = {module: self._names(tree) for module, tree in self.modules.items()}

    def _names(self, tree: ast.Module) -> dict:
        """name -> ("code", node) | ("from", module, name) | ("module", module) | ("database",)."""
        names: dict = {}
        for node in tree.body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                names[node.name] = ("code", node)
            elif isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
                names[node.targets[0].id] = ("code", node.value)
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value:
                names[node.target.id] = ("code", node.value)
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                for alias in node.names:
                    bound = alias.asname or alias.name
                    if node.module.split(".")[0] in DATABASE_LIBRARIES:
                        names[bound] = ("database",)
                    elif f"{node.module}.{alias.name}" in self.modules:
                        names[bound] = ("module", f"{node.module}.{alias.name}")
                    elif node.module in self.modules:
                        names[bound] = ("from", node.module, alias.name)
        return names

    def resolve(self, module: str, name: str) -> tuple:
        """What a name means in a module, following `from ... import` to where it is defined."""
        seen = set()
        entry = self.names.get(module, {}).get(name, ())
        while entry and entry[0] == "from" and entry not in seen:
            seen.add(entry)
            entry = self.names.get(entry[1], {}).get(entry[2], ())
        return entry

    def string(self, module: str, node: ast.expr) -> str | None:
        """A string constant, or an f-string of module-level string constants."""
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return node.value
        if isinstance(node, ast.Name):
            entry = self.resolve(module, node.id)
            return self.string(module, entry[1]) if entry and entry[0] == "code" else None
        if isinstance(node, ast.JoinedStr):
            parts = [self.string(module, v.value if isinstance(v, ast.FormattedValue) else v) for v in node.values]
            return None if None in parts else "".join(parts)  # type: ignore[arg-type]
        return None

    def touches_database(self, module: str, node: ast.AST) -> bool:
        """Whether code reached from node calls the database (module docstring)."""
        pending, seen = [(module, node)], set()
        while pending:
            module, node = pending.pop()
            handles = self._database_parameters(module, node)
            for child in ast.walk(node):
                if isinstance(child, ast.Call):
                    func = child.func
                    receiver = func.value if isinstance(func, ast.Attribute) else None
                    if isinstance(receiver, ast.Name) and receiver.id in handles:
                        return True
                    if isinstance(func, ast.Name) and self.resolve(module, func.id) == ("database",):
                        return True
                target = None
                if isinstance(child, ast.Name):
                    target = (module, child.id)
                elif isinstance(child, ast.Attribute) and isinstance(child.value, ast.Name):
                    entry = self.resolve(module, child.value.id)
                    target = (entry[1], child.attr) if entry and entry[0] == "module" else None
                if target and target not in seen:
                    seen.add(target)
                    entry = self.resolve(*target)
                    if entry and entry[0] == "code":
                        pending.append((self._defined_in(*target), entry[1]))
        return False

    def _database_parameters(self, module: str, node: ast.AST) -> set[str]:
        """A function's parameters annotated with a database library's type (`session: Session`)."""
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return set()
        arguments = [*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs]
        return {
            a.arg
            for a in arguments
            if isinstance(a.annotation, ast.Name) and self.resolve(module, a.annotation.id) == ("database",)
        }

    def _defined_in(self, module: str, name: str) -> str:
        """The module whose top level defines name (imported names followed)."""
        while (entry := self.names.get(module, {}).get(name, ())) and entry[0] == "from":
            module, name = entry[1], entry[2]
        return module


def _router_prefix(package: _Package, module: str, router: str) -> str | None:
    entry = package.resolve(module, router)
    if not entry or entry[0] != "code" or not isinstance(entry[1], ast.Call):
        return None
    prefix = next((k.value for k in entry[1].keywords if k.arg == "prefix"), None)
    return "" if prefix is None else package.string(module, prefix)


def get_routes(package_dir: Path) -> dict[str, Route]:
    """Every GET route of the package (e.g. backend/app), by path."""
    package = _Package(package_dir)
    routes = {}
    for module, tree in package.modules.items():
        for node in tree.body:
            if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            for decorator in node.decorator_list:
                if not (
                    isinstance(decorator, ast.Call)
                    and isinstance(decorator.func, ast.Attribute)
                    and decorator.func.attr == "get"
                    and isinstance(decorator.func.value, ast.Name)
                    and decorator.args
                ):
                    continue
                prefix = _router_prefix(package, module, decorator.func.value.id)
                path = package.string(module, decorator.args[0])
                if prefix is not None and path is not None:
                    touches = package.touches_database(module, node)
                    routes[prefix + path] = Route(prefix + path, f"{module}.{node.name}", touches)
    return routes
