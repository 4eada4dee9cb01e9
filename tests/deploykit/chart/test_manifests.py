"""deploykit.chart.manifests: parsing every document, finding objects, snapshot text."""

import pytest
import yaml

from deploykit.chart import manifests

TWO_OBJECTS = """---
# Source: chart/templates/service.yaml
apiVersion: v1
kind: Service
metadata:
  name: web
  labels:
    app.kubernetes.io/component: frontend
    helm.sh/chart: chart-1.2.3
---
# Source: chart/templates/empty.yaml
---
# Source: chart/templates/job.yaml
apiVersion: batch/v1
kind: Job
metadata:
  name: migrate
  annotations:
    helm.sh/hook: pre-install, pre-upgrade
    helm.sh/hook-weight: "-5"
    checksum/config: abc123
spec:
  template:
    metadata:
      labels: {app.kubernetes.io/component: migration}
    spec:
      containers:
        - name: migrate
          command: ["migrate"]
"""


def test_parses_every_document_with_its_source():
    rendering = manifests.parse(TWO_OBJECTS)
    assert [(m.ref, m.source) for m in rendering] == [
        ("Service/web", "chart/templates/service.yaml"),
        ("Job/migrate", "chart/templates/job.yaml"),
    ]


def test_rejects_duplicate_keys():
    with pytest.raises(yaml.constructor.ConstructorError, match="duplicate key 'name'"):
        manifests.parse("kind: Service\nmetadata:\n  name: a\n  name: b\n")


def test_reads_hooks_pods_and_paths():
    job = manifests.parse(TWO_OBJECTS).one("Job")
    assert job.hook_phases == ("pre-install", "pre-upgrade")
    assert job.hook_weight == "-5"
    assert job.pod_labels == {"app.kubernetes.io/component": "migration"}
    assert job.container("migrate")["command"] == ["migrate"]
    assert job.get("spec.template.spec.restartPolicy", "unset") == "unset"


def test_selects_by_kind_name_and_component():
    rendering = manifests.parse(TWO_OBJECTS)
    assert [m.ref for m in rendering.select(component="frontend")] == ["Service/web"]
    assert rendering.select("Service", name="other") == []
    assert [m.ref for m in rendering.pod_owners] == ["Job/migrate"]


def test_names_what_is_there_when_one_object_is_missing():
    with pytest.raises(LookupError, match=r"expected one Service name=api, found 0 \(present: Service/web\)"):
        manifests.parse(TWO_OBJECTS).one("Service", name="api")


def test_redacts_version_labels_checksums_and_secret_values():
    secret = {
        "kind": "Secret",
        "metadata": {"labels": {"helm.sh/chart": "c-1", "app": "x"}},
        "data": {"PASSWORD": "c2VjcmV0"},
    }
    assert manifests.without_volatile_fields(secret) == {
        "kind": "Secret",
        "metadata": {"labels": {"helm.sh/chart": "<redacted>", "app": "x"}},
        "data": {"PASSWORD": "<redacted>"},
    }
    job = manifests.without_volatile_fields(manifests.parse(TWO_OBJECTS).one("Job").body)
    assert job["metadata"]["annotations"]["checksum/config"] == "<redacted>"
    assert job["metadata"]["annotations"]["helm.sh/hook-weight"] == "-5"


def test_writes_same_snapshot_text_without_libyaml(monkeypatch):
    """Snapshots must not depend on whether PyYAML was built with libyaml."""
    rendering = manifests.parse(TWO_OBJECTS + '          args: ["line one\\nline two\\n"]\n')
    with_libyaml = manifests.snapshot_text(rendering)

    class PurePythonDumper(yaml.SafeDumper):
        pass

    PurePythonDumper.add_representer(str, manifests._SnapshotDumper.yaml_representers[str])
    monkeypatch.setattr(manifests, "_SnapshotDumper", PurePythonDumper)
    assert manifests.snapshot_text(rendering) == with_libyaml
    assert "- |\n" in with_libyaml, "multi-line strings are literal blocks"
