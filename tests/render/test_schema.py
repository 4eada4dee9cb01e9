"""Schemas: every rendered object is valid Kubernetes for the target version, every values file
(chart-testing's ci/ ones too) passes `helm lint --strict`, and values.schema.json is itself a
valid JSON Schema."""

import json
from functools import partial

import jsonschema
import pytest

from deploykit.chart import kubeschema
from deploykit.foundation import paths
from deploykit.tools.helm import TARGET_KUBE_VERSION, concurrently


def test_validates_against_kubernetes_schema(variant, renderings):
    findings = [f for m in renderings[variant] for f in kubeschema.schema_findings(m, TARGET_KUBE_VERSION)]
    assert not findings, "\n".join(map(str, findings))


def test_validates_against_exactly_the_target_kubernetes_version():
    """kubernetes-validate falls back to an older schema when it lacks the target's; we want none."""
    assert kubeschema.schema_version(TARGET_KUBE_VERSION) == TARGET_KUBE_VERSION


@pytest.fixture(scope="module")
def lint_outcomes(helm, values_files) -> dict:
    return concurrently({name: partial(helm.lint, paths.CHART, values=[paths.CHART / name]) for name in values_files})


def test_passes_strict_lint(values_file, lint_outcomes, renderings):
    renderings.require_values(values_file)  # one that does not render is reported by test_rendering.py
    outcome = lint_outcomes[values_file]
    assert not isinstance(outcome, Exception), str(outcome)


def test_is_valid_draft_07_values_schema():
    """helm before 3.18 ignores a broken values.schema.json instead of failing (helm/helm#12994)."""
    schema = json.loads((paths.CHART / "values.schema.json").read_text())
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    jsonschema.Draft7Validator.check_schema(schema)
