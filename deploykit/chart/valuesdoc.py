"""The values table of a chart README and the descriptions of values.schema.json, both made
from values.yaml's helm-docs style `# --` comments.

A `# --` comment (continued by the `#` lines under it) documents the key below it and everything
nested in it. `python -m deploykit.chart.valuesdoc CHART_DIR` prints the table, `--write-schema`
rewrites the schema's descriptions; the render layer checks that every value is documented and
that the README and the schema carry what the comments say.
"""

import argparse
import copy
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
    entries: list[ValueDoc] = []
    stack: list[tuple[int, str, bool]] = []  # (indent, key, documented)
    comment: list[str] | None = None
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


# -- values.schema.json descriptions ------------------------------------------------------------
#
# A value's description sits on its node in the schema's property tree, never in `definitions`:
# a definition such as `image` is shared by components whose comments differ. Draft-07 ignores
# keywords beside `$ref`, so a described node that refers to a definition becomes
# {"description", "allOf": [{"$ref"}]}, and keys inside the definition get description-only
# nodes under that node's own "properties". Both validate exactly as the bare `$ref` did.

_DEFINITIONS = "#/definitions/"


def _ref(node: dict) -> str | None:
    """The definition a node stands for: a bare `$ref`, or one wrapped alone in allOf."""
    if "$ref" in node:
        return node["$ref"]
    all_of = node.get("allOf")
    if all_of and len(all_of) == 1 and set(all_of[0]) == {"$ref"}:
        return all_of[0]["$ref"]
    return None


def _resolve(schema: dict, node: dict) -> dict:
    while (ref := _ref(node)) is not None:
        if not ref.startswith(_DEFINITIONS):
            raise ValueError(f"only {_DEFINITIONS} references are supported, got {ref}")
        node = schema["definitions"][ref.removeprefix(_DEFINITIONS)]
    return node


def _unwrap_ref(node: dict) -> None:
    """A bare `$ref` becomes allOf [$ref], so keywords beside it count."""
    if "$ref" in node:
        node["allOf"] = [{"$ref": node.pop("$ref")}]


def _strip(node: dict, local: bool = False) -> None:
    """Remove the descriptions of a property tree and the description-only nodes made for them.
    `local`: the node's properties only describe a definition's (they validate nothing)."""
    node.pop("description", None)
    local = local or _ref(node) is not None
    properties = node.get("properties", {})
    for child in properties.values():
        _strip(child, local)
    if local and properties:
        node["properties"] = {key: child for key, child in properties.items() if child}
        if not node["properties"]:
            del node["properties"]
    if set(node) == {"allOf"} and _ref(node):
        node["$ref"] = node.pop("allOf")[0]["$ref"]


def with_descriptions(schema: dict, entries: list[ValueDoc]) -> dict:
    """A copy of `schema` whose property tree carries exactly the descriptions of the documented
    `entries` (stale ones dropped); LookupError for a documented key the schema lacks."""
    schema = copy.deepcopy(schema)
    for node in schema.get("properties", {}).values():
        _strip(node)
    for entry in entries:
        if entry.description is None:
            continue
        node = effective = schema
        for depth, key in enumerate(entry.key.split(".")):
            target = _resolve(schema, effective)
            if key not in target.get("properties", {}):
                parent = ".".join(entry.key.split(".")[:depth]) or "the top level"
                raise LookupError(f"values.yaml documents {entry.key}, but the schema has no {key} under {parent}")
            effective = target["properties"][key]
            if node is not target:  # crossed into a definition: describe it locally
                _unwrap_ref(node)
                node = node.setdefault("properties", {}).setdefault(key, {})
            else:
                node = effective
        _unwrap_ref(node)
        described = {"description": entry.description, **{k: v for k, v in node.items() if k != "description"}}
        node.clear()
        node.update(described)
    return schema


def schema_descriptions(schema: dict) -> dict[str, str]:
    """Every description in a schema's property tree, by dotted key."""
    found = {}

    def walk(properties: dict, prefix: str) -> None:
        for key, node in properties.items():
            if "description" in node:
                found[prefix + key] = node["description"]
            walk(node.get("properties", {}), f"{prefix}{key}.")

    walk(schema.get("properties", {}), "")
    return found


def schema_text(schema: dict) -> str:
    """values.schema.json as this project writes it."""
    return json.dumps(schema, indent=2) + "\n"


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="python -m deploykit.chart.valuesdoc", description=__doc__.split("\n\n")[0])
    parser.add_argument("chart", nargs="?", default=".", type=Path, help="the chart directory")
    parser.add_argument(
        "--write-schema", action="store_true", help="rewrite values.schema.json's descriptions instead of printing"
    )
    args = parser.parse_args()
    docs = read((args.chart / "values.yaml").read_text())
    if args.write_schema:
        schema_file = args.chart / "values.schema.json"
        schema_file.write_text(schema_text(with_descriptions(json.loads(schema_file.read_text()), docs)))
    else:
        sys.stdout.write(table(docs))
