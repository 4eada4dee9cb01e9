"""`python -m deploykit ai <operation>`: a configured AI helper answers; without one (or when it
fails) the manual procedure does, printing the commands it ran. The operations shown here need
helm only; the ones that read a cluster are exercised in tests/cluster/test_ai_ops.py."""

import os
import stat
from pathlib import Path

import pytest

from deploykit.__main__ import main
from deploykit.chart import manifests

ROOT_DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: nginx:latest
"""


@pytest.fixture
def no_cluster(monkeypatch, tmp_path, deploykit_log):
    """No AI helper on PATH, whatever this machine has, and a kubeconfig that leads nowhere (and
    the CLI's log handler removed after the test)."""
    helpers = ("kubectl-ai", "kagent")
    path = [d for d in os.environ["PATH"].split(os.pathsep) if not any((Path(d) / h).exists() for h in helpers)]
    monkeypatch.setenv("PATH", os.pathsep.join(path))
    monkeypatch.setenv("KUBECONFIG", str(tmp_path / "no-such-kubeconfig"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    return tmp_path


def fake_kubectl_ai(monkeypatch, directory: Path, script: str) -> None:
    directory.mkdir()
    binary = directory / "kubectl-ai"
    binary.write_text(f"#!/bin/sh\n{script}\n")
    binary.chmod(binary.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{directory}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("GEMINI_API_KEY", "test-key")


def ai(capsys, *argv) -> tuple[int, str, str]:
    code = main(["ai", *argv, "--cluster", "existing"])
    out, err = capsys.readouterr()
    return code, out, err


def test_generate_without_ai_prints_the_charts_manifests_and_the_helm_command(no_cluster, capsys):
    code, out, err = ai(capsys, "generate", "--component", "backend")

    assert code == 0
    generated = manifests.parse(out)
    assert {m.component for m in generated} == {"backend"}
    assert generated.one("Deployment").name == "todo-todo-list-hackathon-backend"
    assert "ai-deploy generate: kubectl-ai: not installed (no kubectl-ai on PATH" in err
    assert "$ helm template todo " in err and "values-local.yaml" in err


def test_generate_asks_a_configured_kubectl_ai_and_prints_its_answer(no_cluster, capsys, monkeypatch):
    fake_kubectl_ai(monkeypatch, no_cluster / "bin", 'echo "kind: Deployment # from the model"')

    code, out, err = ai(capsys, "generate", "--component", "frontend")

    assert (code, out) == (0, "kind: Deployment # from the model\n")
    assert "answered by kubectl-ai" in err
    assert "manual procedure" not in err


def test_falls_back_to_the_manual_procedure_when_the_helper_fails(no_cluster, capsys, monkeypatch):
    fake_kubectl_ai(monkeypatch, no_cluster / "bin", "echo 'quota exceeded' >&2; exit 2")

    code, out, err = ai(capsys, "generate", "--component", "frontend")

    assert code == 0
    assert "ai-deploy generate: kubectl-ai exited 2: quota exceeded" in err
    assert "manual procedure (no AI helper answered)" in err
    assert "name: todo-todo-list-hackathon-frontend" in out


def test_ai_off_goes_straight_to_the_manual_procedure(no_cluster, capsys, monkeypatch):
    fake_kubectl_ai(monkeypatch, no_cluster / "bin", "echo should-not-run")

    code, out, err = ai(capsys, "generate", "--ai", "off")

    assert code == 0
    assert "should-not-run" not in out
    assert "kubectl-ai" not in err


def test_review_names_the_policy_findings_of_a_manifest_file(no_cluster, capsys):
    manifest = no_cluster / "web.yaml"
    manifest.write_text(ROOT_DEPLOYMENT)

    code, out, err = ai(capsys, "review", str(manifest), "--ai", "off")

    assert code == 0
    assert f"Review of {manifest}: 1 object(s)" in out
    assert "Deployment/web spec.template.spec.containers[web].securityContext.runAsNonRoot: must be true" in out
    assert "Deployment/web spec.template.spec.containers[web].image: 'nginx:latest' must name a version tag" in out
    assert "server-side dry run skipped: no cluster answered" in out
    assert "$ kubectl get namespace todo" in err


def test_review_of_the_chart_finds_no_policy_problem(no_cluster, capsys):
    code, out, _ = ai(capsys, "review", "--values", "production", "--ai", "off")

    assert code == 0
    assert "Review of the chart with values production: " in out
    assert " 0 policy finding(s)" in out
