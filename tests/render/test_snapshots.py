"""Every rendering matches its reviewed snapshot, and the snapshot comparison can fail.

Snapshots live in __snapshots__/test_snapshots/, one YAML file per variant. After an
intended chart change, update them with `pytest tests/render --snapshot-update` and review the diff.
"""

import shutil
from pathlib import Path

import pytest

from deploykit.foundation import paths

SNAPSHOTS = Path(__file__).parent / "__snapshots__" / "test_snapshots"


def test_matches_snapshot(variant, renderings, chart_snapshot):
    assert chart_snapshot == renderings[variant]


# A template change must show up in the snapshot: one line edited in each kind of template file
# (a shared definition, a per-component file, a plain template, a helper).
TEMPLATE_EDITS = {
    "shared-workload-definition": ("_component.tpl", "maxSurge: 1", "maxSurge: 2"),
    "per-component-file": ("frontend/service.yaml", '"component" "frontend"', '"component" "backend"'),
    "database-statefulset": ("postgresql/statefulset.yaml", "sizeLimit: 16Mi", "sizeLimit: 32Mi"),
    "label-helper": (
        "_helpers.tpl",
        "app.kubernetes.io/part-of: {{ .context.Chart.Name }}",
        "app.kubernetes.io/part-of: todo",
    ),
}


@pytest.mark.parametrize("edit", TEMPLATE_EDITS.values(), ids=TEMPLATE_EDITS.keys())
def test_fails_snapshot_when_a_template_line_changes(edit, tmp_path, renderings, chart_snapshot_extension):
    template, old, new = edit
    stored = (SNAPSHOTS / "test_matches_snapshot[default].yaml").read_text()
    extension = chart_snapshot_extension
    assert extension.matches(serialized_data=extension.serialize(renderings["default"]), snapshot_data=stored), (
        "the unchanged chart must match its snapshot"
    )

    chart = tmp_path / paths.CHART.name
    shutil.copytree(paths.CHART, chart)
    edited = chart / "templates" / template
    assert old in edited.read_text(), f"{template} no longer contains {old!r}: update this test"
    edited.write_text(edited.read_text().replace(old, new, 1))
    changed = renderings.render(chart=chart)

    assert not extension.matches(serialized_data=extension.serialize(changed), snapshot_data=stored)


def test_redacts_only_volatile_fields_in_snapshot(renderings, chart_snapshot_extension):
    text = chart_snapshot_extension.serialize(renderings["default"])

    assert "helm.sh/chart: <redacted>" in text
    assert "checksum/config: <redacted>" in text
    assert "JWT_SECRET: <redacted>" in text
    assert "image: todo-list-hackathon/backend:" in text, "image tags are real changes, kept"
