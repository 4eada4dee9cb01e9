"""What breaks an upgrade from a base revision, found by comparing the two revisions' renderings
and migrations before anything is installed, each with the cause and what to do instead:

- an immutable field changed (a workload's selector, a StatefulSet's claim templates or service
  name): the API server rejects the upgrade, and `helm upgrade` fails;
- a Service port the base revision's pods address (a `http://<service>:<port>` in their
  environment or ConfigMaps) is gone: those pods fail while both versions serve;
- a new migration drops or renames a column or table: the base revision's pods still read it
  while both versions serve.
"""

import ast
import re
from pathlib import Path

from deploykit.chart.crosslayer import assigned_string
from deploykit.chart.manifests import Manifest, Rendering
from deploykit.foundation.findings import Finding

IMMUTABLE = {
    "Deployment": ("spec.selector",),
    "DaemonSet": ("spec.selector",),
    "StatefulSet": ("spec.selector", "spec.serviceName", "spec.volumeClaimTemplates"),
}
ADDRESS = re.compile(r"https?://([a-z0-9-]+)(?:\.[a-z0-9.-]+)?:(\d+)")
BREAKING_OPERATIONS = {"drop_column", "drop_table", "drop_constraint"}
RENAMING_KEYWORDS = {"new_column_name"}


def immutable_findings(base: Rendering, head: Rendering) -> list[Finding]:
    findings = []
    for manifest in head:
        before = base.select(manifest.kind, name=manifest.name)
        for field in IMMUTABLE.get(manifest.kind, ()):
            if before and before[0].get(field) != manifest.get(field):
                findings.append(Finding(manifest.ref, field, (
                    f"changed from {before[0].get(field)} to {manifest.get(field)}, but the field is "
                    "immutable: `helm upgrade` fails; keep it (add labels to the pod template instead)")))
    return findings


def _addresses(manifest: Manifest) -> list[tuple[str, str, str]]:
    """(service, port, where) for each http://service:port in a ConfigMap's data or a container's env."""
    texts = []
    if manifest.kind == "ConfigMap":
        texts = [(f"{manifest.ref} data.{key}", str(value)) for key, value in (manifest.body.get("data") or {}).items()]
    elif manifest.pod_spec:
        texts = [(f"{manifest.ref} env {env['name']}", str(env["value"]))
                 for container in manifest.pod_spec.get("containers", []) for env in container.get("env", [])
                 if "value" in env]
    return [(service, port, where) for where, text in texts for service, port in ADDRESS.findall(text)]


def addressed_port_findings(base: Rendering, head: Rendering) -> list[Finding]:
    addressed: dict[tuple[str, str], list[str]] = {}
    for service, port, where in (address for manifest in base for address in _addresses(manifest)):
        addressed.setdefault((service, port), []).append(where)
    findings = []
    for (service, port), places in addressed.items():
        now = head.select("Service", name=service)
        ports = {str(p.get("port")) for p in (now[0].body["spec"].get("ports") or [])} if now else set()
        if now and port not in ports:
            findings.append(Finding(now[0].ref, "spec.ports", (
                f"port {port}, which the base revision's pods address ({'; '.join(places)}), is gone (now "
                f"{sorted(ports)}): they fail while both versions serve; keep the old port beside the new one "
                "for a release")))
    return findings


def _breaking_calls(tree: ast.Module) -> list[str]:
    """The `op.*` calls in upgrade() that take away what the previous code reads."""
    upgrade = next((n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "upgrade"), None)
    calls = []
    for node in ast.walk(upgrade) if upgrade else ():
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            arguments = [ast.unparse(a) for a in node.args]
            renames = [k for k in node.keywords if k.arg in RENAMING_KEYWORDS]
            if node.func.attr in BREAKING_OPERATIONS:
                calls.append(f"{node.func.attr}({', '.join(arguments)})")
            elif node.func.attr == "alter_column" and renames:
                calls.append(f"alter_column({', '.join(arguments)}, {renames[0].arg}={ast.unparse(renames[0].value)})")
    return calls


def migration_findings(base_versions: Path, head_versions: Path) -> list[Finding]:
    """Migrations the base revision does not have whose upgrade() drops or renames something."""
    known = {assigned_string(ast.parse(p.read_text()), "revision") for p in Path(base_versions).glob("*.py")}
    findings = []
    for script in sorted(Path(head_versions).glob("*.py")):
        tree = ast.parse(script.read_text())
        if assigned_string(tree, "revision") not in known:
            findings += [Finding(f"migration {script.name}", "upgrade()", (
                f"{call} takes away what the base revision's pods still read while both versions serve: "
                "add the new shape in this release, and remove the old one in a later one"))
                for call in _breaking_calls(tree)]
    return findings


def upgrade_findings(base: Rendering, head: Rendering, base_versions: Path, head_versions: Path) -> list[Finding]:
    return (immutable_findings(base, head) + addressed_port_findings(base, head)
            + migration_findings(base_versions, head_versions))
