"""Rendered manifests as data: parse every YAML document `helm template` prints, find objects by
kind, name or component, and write a rendering as stable text for snapshots.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

import yaml

from deploykit.foundation.constants import COMPONENT_LABEL, HELM_CHART_LABEL, VERSION_LABEL

_HOOK = "helm.sh/hook"
_HOOK_WEIGHT = "helm.sh/hook-weight"

# Where each kind keeps its pod spec, as a dotted path.
_POD_SPEC_PATHS = {
    "Pod": "spec",
    "Deployment": "spec.template.spec",
    "StatefulSet": "spec.template.spec",
    "DaemonSet": "spec.template.spec",
    "ReplicaSet": "spec.template.spec",
    "Job": "spec.template.spec",
    "CronJob": "spec.jobTemplate.spec.template.spec",
}
_SOURCE = re.compile(r"^# Source: (.+)$", re.MULTILINE)
_SEPARATOR = re.compile(r"^---[ \t]*$", re.MULTILINE)

# libyaml's loader and dumper when there (ten times faster), else PyYAML's own. A checker sees the
# pure-Python classes: which one is used is known only at run time, and both offer the same methods.
if TYPE_CHECKING:
    _SafeLoader = yaml.SafeLoader
    _SafeDumper = yaml.SafeDumper
else:
    _SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    _SafeDumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class _StrictLoader(_SafeLoader):
    """SafeLoader (libyaml's when there, ten times faster) that refuses duplicate keys, which
    PyYAML would silently collapse and the API server's strict field validation rejects."""

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(None, None, f"duplicate key {key!r}", key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


@dataclass(frozen=True)
class Manifest:
    """One rendered object and the template it came from."""

    body: dict
    source: str = ""

    @property
    def kind(self) -> str:
        return self.body.get("kind", "")

    @property
    def name(self) -> str:
        return self.body.get("metadata", {}).get("name", "")

    @property
    def ref(self) -> str:
        """ "Kind/name": how messages and test ids name an object."""
        return f"{self.kind}/{self.name}"

    @property
    def labels(self) -> dict:
        return self.body.get("metadata", {}).get("labels") or {}

    @property
    def annotations(self) -> dict:
        return self.body.get("metadata", {}).get("annotations") or {}

    @property
    def component(self) -> str | None:
        return self.labels.get(COMPONENT_LABEL)

    @property
    def hook_phases(self) -> tuple[str, ...]:
        """Helm hook phases (pre-install, test, ...); empty for an ordinary release object."""
        hooks = self.annotations.get(_HOOK, "")
        return tuple(phase.strip() for phase in hooks.split(",") if phase.strip())

    @property
    def hook_weight(self) -> str | None:
        """The raw hook-weight annotation (a string, as helm reads it), or None if unset."""
        return self.annotations.get(_HOOK_WEIGHT)

    @property
    def pod_spec_path(self) -> str | None:
        return _POD_SPEC_PATHS.get(self.kind)

    @property
    def pod_spec(self) -> dict | None:
        return self.get(self.pod_spec_path) if self.pod_spec_path else None

    @property
    def owner_pod_spec(self) -> dict:
        """The pod spec of an object that runs pods (one of Rendering.pod_owners); TypeError for
        any other, which has none."""
        spec = self.pod_spec
        if spec is None:
            raise TypeError(f"{self.ref} has no pod spec at {self.pod_spec_path or 'any path'}")
        return spec

    @property
    def pod_labels(self) -> dict:
        """Labels of the pods this object creates (its own labels for a bare Pod)."""
        if self.kind == "Pod":
            return self.labels
        template_path = self.pod_spec_path.rsplit(".", 1)[0] if self.pod_spec_path else None
        return (self.get(f"{template_path}.metadata.labels") if template_path else None) or {}

    def container(self, name: str) -> dict | None:
        return next((c for c in (self.pod_spec or {}).get("containers", []) if c["name"] == name), None)

    def get(self, path: str, default=None):
        """The value at a dotted path such as "spec.template.spec", or default."""
        node = self.body
        for key in path.split("."):
            if not isinstance(node, dict) or key not in node:
                return default
            node = node[key]
        return node


@dataclass(frozen=True)
class Rendering:
    """Every object of one `helm template` run, in helm's install order."""

    manifests: tuple[Manifest, ...]

    def __iter__(self) -> Iterator[Manifest]:
        return iter(self.manifests)

    def select(
        self, kind: str | None = None, *, name: str | None = None, component: str | None = None
    ) -> list[Manifest]:
        return [
            m
            for m in self.manifests
            if (kind is None or m.kind == kind)
            and (name is None or m.name == name)
            and (component is None or m.component == component)
        ]

    def one(self, kind: str, *, name: str | None = None, component: str | None = None) -> Manifest:
        """The single object matching; LookupError naming what was there otherwise."""
        found = self.select(kind, name=name, component=component)
        if len(found) != 1:
            wanted = " ".join(f"{k}={v}" for k, v in (("name", name), ("component", component)) if v)
            present = ", ".join(m.ref for m in self.select(kind)) or "none"
            raise LookupError(f"expected one {kind} {wanted}, found {len(found)} (present: {present})")
        return found[0]

    @property
    def pod_owners(self) -> list[Manifest]:
        """Objects that run pods: workloads, Jobs, and bare Pods such as helm tests."""
        return [m for m in self.manifests if m.pod_spec_path]


def load_yaml(text: str):
    """One YAML document as data, as yaml.safe_load reads it but with libyaml's loader when there:
    values files are read for every variant, and PyYAML's own loader takes 16 ms on values.yaml."""
    return yaml.load(text, Loader=_SafeLoader)


def parse(text: str) -> Rendering:
    """Every non-empty YAML document of `text`, each with the template named in its
    `# Source:` comment. Duplicate keys are an error."""
    manifests = []
    for chunk in _SEPARATOR.split(text):
        body = yaml.load(chunk, Loader=_StrictLoader)
        if not body:
            continue
        source = _SOURCE.search(chunk)
        manifests.append(Manifest(body, source.group(1) if source else ""))
    return Rendering(tuple(manifests))


# -- snapshots -------------------------------------------------------------------------------

REDACTED = "<redacted>"


class _SnapshotDumper(_SafeDumper):
    """Multi-line strings (scripts) as literal blocks and no line folding: readable diffs, and
    the same text from libyaml's emitter and PyYAML's own."""


_SnapshotDumper.add_representer(
    str,
    lambda dumper, text: dumper.represent_scalar("tag:yaml.org,2002:str", text, style="|" if "\n" in text else None),
)

# Labels whose values follow Chart.yaml's versions: a version bump must not churn snapshots.
# (Image tags, which also default to the app version, stay: a new image is a real change.)
VOLATILE_LABELS = (HELM_CHART_LABEL, VERSION_LABEL)
# Annotations whose values are sums of other content, which the snapshot shows anyway.
VOLATILE_ANNOTATION_PREFIXES = ("checksum/",)


def without_volatile_fields(body: dict) -> dict:
    """A copy of one object with version labels, checksum annotations and all Secret values
    (generated ones differ on every render) replaced by REDACTED. Keys stay, so a label or a
    Secret key that disappears still shows."""

    def scrub(node, parent_key=None):
        if isinstance(node, dict):
            copy = {}
            for key, value in node.items():
                volatile_label = parent_key == "labels" and key in VOLATILE_LABELS
                volatile_annotation = parent_key == "annotations" and key.startswith(VOLATILE_ANNOTATION_PREFIXES)
                if volatile_label or volatile_annotation:
                    copy[key] = REDACTED
                else:
                    copy[key] = scrub(value, key)
            return copy
        if isinstance(node, list):
            return [scrub(item, parent_key) for item in node]
        return node

    scrubbed = scrub(body)
    if scrubbed.get("kind") == "Secret":
        for field in ("data", "stringData"):
            if scrubbed.get(field):
                scrubbed[field] = dict.fromkeys(scrubbed[field], REDACTED)
    return scrubbed


def snapshot_text(rendering: Rendering) -> str:
    """A rendering as YAML for a snapshot: each object under its `# Source:` line, volatile
    fields redacted, keys in the order the templates write them."""
    documents = []
    for manifest in rendering:
        body = yaml.dump(without_volatile_fields(manifest.body), Dumper=_SnapshotDumper, sort_keys=False, width=1 << 16)
        documents.append(f"# Source: {manifest.source}\n{body}")
    return "---\n" + "---\n".join(documents)
