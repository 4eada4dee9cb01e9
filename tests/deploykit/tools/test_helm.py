"""deploykit.tools.helm: the argv each verb sends, and errors that keep all of helm's lines.

A stand-in helm prints the argv it got as JSON (or fails like helm does), so most tests here need
no chart and no cluster; the last ones give the real helm wrong input, and the error names what is
wrong instead of a stack of helm internals.
"""

import json
import sys

import pytest

from deploykit.foundation.errors import ChartError
from deploykit.tools.helm import Helm, concurrently

FAKE_HELM = f"""#!{sys.executable}
import json, sys
if "--fail" in sys.argv:
    sys.stderr.write("Error: values don't meet the specifications of the schema(s):\\n"
                     "- backend.replicaCount: Must be greater than or equal to 0\\n"
                     "- frontend: Additional property replica is not allowed\\n")
    sys.exit(1)
print(json.dumps(sys.argv[1:]))
"""


@pytest.fixture
def fake_helm(tmp_path) -> Helm:
    binary = tmp_path / "helm"
    binary.write_text(FAKE_HELM)
    binary.chmod(0o755)
    return Helm(str(binary), kubeconfig="/k/config", kube_context="ci")


def argv_of(output) -> list:
    return json.loads(output if isinstance(output, str) else output.stdout)


def test_renders_for_target_kubernetes_with_typed_values(fake_helm):
    argv = argv_of(
        fake_helm.template(
            "chart", "rel", namespace="ns", values=["v.yaml"], set_values={"a.b": -1, "c": "x,y", "d": None}
        )
    )
    assert argv == [
        "template",
        "rel",
        "chart",
        "--namespace",
        "ns",
        "--kube-version",
        "1.34.0",
        "--values",
        "v.yaml",
        "--set-json",
        "a.b=-1",
        "--set-json",
        'c="x,y"',
        "--set-json",
        "d=null",
    ]


def test_lints_strictly(fake_helm):
    assert argv_of(fake_helm.lint("chart")) == ["lint", "chart", "--kube-version", "1.34.0", "--strict"]


@pytest.mark.parametrize(
    "verb, call, expected",
    [
        (
            "install_without_wait",
            lambda h: h.upgrade("chart", "rel", namespace="ns", install=True, wait=False),
            ["upgrade", "rel", "chart", "--install", "--create-namespace"],
        ),
        (
            "upgrade",
            lambda h: h.upgrade("chart", "rel", namespace="ns", install=True, timeout="2m"),
            ["upgrade", "rel", "chart", "--install", "--create-namespace", "--wait", "--timeout", "2m"],
        ),
        (
            "rollback",
            lambda h: h.rollback("rel", 3, namespace="ns"),
            ["rollback", "rel", "3", "--wait", "--timeout", "5m"],
        ),
        ("uninstall", lambda h: h.uninstall("rel", namespace="ns", wait=False), ["uninstall", "rel"]),
        ("test", lambda h: h.test("rel", namespace="ns"), ["test", "rel", "--timeout", "5m", "--logs"]),
    ],
)
def test_targets_cluster_in_release_verbs(verb, call, expected, fake_helm):
    assert argv_of(call(fake_helm)) == expected + [
        "--namespace",
        "ns",
        "--kubeconfig",
        "/k/config",
        "--kube-context",
        "ci",
    ]


def test_keeps_every_helm_error_line(fake_helm):
    with pytest.raises(ChartError) as failed:
        fake_helm.template("chart", "rel", values=["--fail"])
    assert "backend.replicaCount: Must be greater" in str(failed.value)
    assert "frontend: Additional property replica" in str(failed.value)


def test_runs_calls_side_by_side_keeping_errors():
    def boom():
        raise ChartError("bad")

    outcomes = concurrently({"ok": lambda: 1, "bad": boom})
    assert outcomes["ok"] == 1 and isinstance(outcomes["bad"], ChartError)


def test_template_of_missing_chart_path_names_the_path(helm_binary, tmp_path):
    missing = tmp_path / "no-such-chart"
    with pytest.raises(ChartError, match=rf"(?s)helm template failed .*path \".*{missing.name}\" not found"):
        Helm(helm_binary).template(missing, "x")


def test_template_of_unreadable_chart_names_the_file(helm_binary, tmp_path):
    chart = tmp_path / "broken"
    chart.mkdir()
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: [not, a, name\n")
    with pytest.raises(ChartError, match=r"Chart\.yaml"):
        Helm(helm_binary).template(chart, "x")
