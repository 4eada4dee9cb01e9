"""The values table of a chart README, made from values.yaml's helm-docs style `# --` comments.

A `# --` comment (continued by the `#` lines under it) documents the key below it and everything
nested in it. `python -m deploykit.valuesdoc CHART_DIR` prints the table; the render layer checks
that every value is documented and that the README carries the current table.
"""

import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

_KEY = re.compile(r"^(\s*)([A-Za-z_][\w-]*):(.*)$")
TABLE_HEADER = "| Key | Default | Description |\n|---|---|---|\n"


@dataclass(frozen=True)
class ValueDoc:
    key: str  # dotted path, e.g. backend.image.tag
    default: object
    description: str | None  # None: undocumented


def read(values_yaml: str) -> list[ValueDoc]:
    """One entry per documented key and per undocumented leaf (a key with no nested keys),
    in file order; keys nested in a documented one are covered by it."""
    defaults = yaml.safe_load(values_yaml) or {}
    lines = values_yaml.splitlines()
    entries, stack, comment = [], [], None  # stack: (indent, key, documented)
    for number, line in enumerate(lines):
        stripped = line.strip()
        if stripped.startswith("# --"):
            comment = [stripped[4:].strip()]
            continue
        if stripped.startswith("#"):
            if comment is not None:
                comment.append(stripped[1:].strip())
            continue
        match = _KEY.match(line)
        if not match:
            comment = None if not stripped else comment
            continue
        indent, key = len(match.group(1)), match.group(2)
        while stack and stack[-1][0] >= indent:
            stack.pop()
        covered = any(documented for _, _, documented in stack)
        path = ".".join([k for _, k, _ in stack] + [key])
        if not covered and (comment is not None or _is_leaf(lines, number, indent)):
            description = " ".join(comment) if comment is not None else None
            entries.append(ValueDoc(path, _lookup(defaults, path), description))
        stack.append((indent, key, comment is not None))
        comment = None
    return entries


def _is_leaf(lines: list[str], number: int, indent: int) -> bool:
    """Whether the key on line `number` has no nested keys (a scalar, a list or an empty map)."""
    for line in lines[number + 1 :]:
        if not line.strip() or line.strip().startswith("#"):
            continue
        nested = len(line) - len(line.lstrip()) > indent
        return not (nested and _KEY.match(line))
    return True


def _lookup(values: dict, path: str):
    for key in path.split("."):
        values = values[key]
    return values


def table(entries: list[ValueDoc]) -> str:
    """The README's values table (Markdown)."""
    rows = [f"| `{e.key}` | `{json.dumps(e.default)}` | {_cell(e.description or '')} |" for e in entries]
    return TABLE_HEADER + "\n".join(rows) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|")  # a bare pipe would end the Markdown table cell


if __name__ == "__main__":
    chart = Path(sys.argv[1] if len(sys.argv) > 1 else ".")
    sys.stdout.write(table(read((chart / "values.yaml").read_text())))
