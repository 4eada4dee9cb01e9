"""Docs: every value is documented, the README's values table and the schema's descriptions are
current, and NOTES.txt prints commands that name the objects the release really has."""

import json
import re

import pytest

from deploykit.chart import valuesdoc
from deploykit.foundation import paths

README = paths.CHART / "README.md"
TABLE = re.compile(r"<!-- values-table:start -->\n(.*?)<!-- values-table:end -->", re.DOTALL)


@pytest.fixture(scope="module")
def values_docs():
    return valuesdoc.read((paths.CHART / "values.yaml").read_text())


def test_documents_every_value(values_docs):
    undocumented = [doc.key for doc in values_docs if doc.description is None]
    assert not undocumented, f"values.yaml keys without a `# --` comment: {undocumented}"


def test_shows_current_values_table_in_readme(values_docs):
    table = TABLE.search(README.read_text())
    assert table, "README.md lacks the values-table markers"
    assert table.group(1) == valuesdoc.table(values_docs), (
        "README.md's values table is out of date: run "
        "`python -m deploykit.chart.valuesdoc k8s/todo-list-hackathon` and paste its output between the markers"
    )


def test_describes_every_value_in_schema_as_its_comment(values_docs):
    schema_file = paths.CHART / "values.schema.json"
    schema = json.loads(schema_file.read_text())
    regenerate = "run `python -m deploykit.chart.valuesdoc k8s/todo-list-hackathon --write-schema`"
    described = valuesdoc.schema_descriptions(schema)
    assert described == {doc.key: doc.description for doc in values_docs}, f"stale schema descriptions: {regenerate}"
    assert schema_file.read_text() == valuesdoc.schema_text(valuesdoc.with_descriptions(schema, values_docs)), (
        f"values.schema.json is not as the generator writes it: {regenerate}"
    )


NOTES_VARIANTS = ("local", "production", "external-database-url")


@pytest.mark.parametrize("variant_name", NOTES_VARIANTS)
def test_matches_notes_snapshot(variant_name, renderings, snapshot):
    assert renderings.notes(variant_name) == snapshot


@pytest.mark.parametrize("variant_name", NOTES_VARIANTS)
def test_names_only_real_objects_in_notes(variant_name, renderings):
    notes = renderings.notes(variant_name)
    rendering = renderings[variant_name]
    existing = {f"{m.kind}/{m.name}" for m in rendering} | {
        f"PersistentVolumeClaim/{template['metadata']['name']}-{sts.name}-0"
        for sts in rendering.select("StatefulSet")
        for template in sts.get("spec.volumeClaimTemplates", [])
    }
    kinds = {
        "deployment": "Deployment",
        "service": "Service",
        "job": "Job",
        "pvc": "PersistentVolumeClaim",
        "secret": "Secret",
    }
    for kind, name in re.findall(r"\b(deployment|service|job|pvc|secret)[/ ]([a-z0-9][a-z0-9-]+)", notes, re.I):
        assert f"{kinds[kind.lower()]}/{name}" in existing, f"NOTES.txt names {kind} {name}, which the release lacks"


def test_tells_next_commands_in_notes(renderings):
    notes = renderings.notes("local")
    assert "helm test todo-list-hackathon --namespace todo --logs" in notes
    assert "kubectl --namespace todo port-forward service/todo-list-hackathon-frontend 8080:80" in notes
    assert "helm rollback todo-list-hackathon <revision> --namespace todo --wait" in notes


def test_shows_gateway_and_url_in_production_notes(renderings):
    notes = renderings.notes("production")
    assert "through Gateway gateway-system/my-gateway: https://todo.example.com/" in notes
    assert "port-forward" not in notes
