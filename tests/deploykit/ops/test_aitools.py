"""deploykit.ops.aitools: an AI helper is used only when it is installed and configured, and every
reason it cannot be is one line that says what to do. Helpers are stand-in scripts on a temporary
PATH, so these tests run (and mean the same) whether or not the real tools are installed."""

import stat

import pytest

from deploykit.foundation.errors import AiHelperUnavailable
from deploykit.foundation.run import CommandResult
from deploykit.ops import aitools


class ClusterWith:
    """A kubectl stand-in whose answer to every command is fixed."""

    def __init__(self, returncode: int, stderr: str = ""):
        self.returncode, self.stderr, self.calls = returncode, stderr, []

    def __call__(self, *args, **kwargs) -> CommandResult:
        self.calls.append(args)
        return CommandResult(["kubectl", *args], self.returncode, "", self.stderr)


NO_AGENT = ClusterWith(1, 'Error from server (NotFound): agents.kagent.dev "k8s-agent" not found')


def install(bin_dir, name, script="echo answered"):
    bin_dir.mkdir(exist_ok=True)
    path = bin_dir / name
    path.write_text(f"#!/bin/sh\n{script}\n")
    path.chmod(path.stat().st_mode | stat.S_IEXEC)
    return str(path)


@pytest.fixture
def env(tmp_path):
    """An environment with an empty PATH directory and its own HOME (no kubectl-ai config)."""
    (tmp_path / "bin").mkdir()
    return {"PATH": str(tmp_path / "bin"), "HOME": str(tmp_path / "home")}


def unavailable(name, env, kubectl=NO_AGENT) -> str:
    with pytest.raises(AiHelperUnavailable) as raised:
        aitools.detect(name, kubectl, env)
    message = str(raised.value)
    assert "\n" not in message, "a detection error must be one line"
    return message


def write_config(env, text):
    path = aitools.kubectl_ai_config(env)
    path.parent.mkdir(parents=True)
    path.write_text(text)


@pytest.mark.parametrize("name", aitools.HELPERS)
def test_reports_a_helper_missing_from_path(env, name):
    message = unavailable(name, env)

    assert message.startswith(f"{name}: not installed (no {name} on PATH")
    assert aitools.INSTALL_HINTS[name] in message


def test_reports_the_key_kubectl_ais_default_provider_needs(env, tmp_path):
    binary = install(tmp_path / "bin", "kubectl-ai")

    message = unavailable("kubectl-ai", env)

    assert message.startswith(f"kubectl-ai: found at {binary}, but its provider gemini needs GEMINI_API_KEY")


def test_reads_the_provider_from_kubectl_ais_config_file(env, tmp_path):
    install(tmp_path / "bin", "kubectl-ai")
    write_config(env, "llm-provider: azopenai\nmodel: gpt-4.1\n")

    assert "provider azopenai needs AZURE_OPENAI_API_KEY and AZURE_OPENAI_ENDPOINT" in unavailable("kubectl-ai", env)


def test_takes_an_openai_compatible_endpoint_for_openai(env):
    write_config(env, "llm-provider: openai://llm.internal/v1\n")

    assert aitools.kubectl_ai_provider(env) == "openai"


def test_reports_an_unreadable_kubectl_ai_config_in_one_line(env, tmp_path):
    install(tmp_path / "bin", "kubectl-ai")
    write_config(env, "llm-provider: [unclosed\n")

    assert unavailable("kubectl-ai", env).startswith(f"kubectl-ai: cannot read {aitools.kubectl_ai_config(env)}")


def test_uses_kubectl_ai_once_its_providers_key_is_set(env, tmp_path):
    binary = install(tmp_path / "bin", "kubectl-ai")

    helper = aitools.detect("kubectl-ai", NO_AGENT, {**env, "GEMINI_API_KEY": "test-key"})

    assert helper == aitools.Helper("kubectl-ai", binary)


def test_uses_kubectl_ai_with_a_local_provider_that_needs_no_key(env, tmp_path):
    install(tmp_path / "bin", "kubectl-ai")
    write_config(env, "llm-provider: ollama\n")

    assert aitools.detect("kubectl-ai", NO_AGENT, env).name == "kubectl-ai"


def test_reports_kagent_without_its_agent_in_the_cluster(env, tmp_path):
    install(tmp_path / "bin", "kagent")

    message = unavailable("kagent", env)

    assert "this cluster has no kagent Agent k8s-agent in namespace kagent" in message
    assert "kagent install" in message


def test_uses_kagent_when_the_cluster_runs_its_agent(env, tmp_path):
    binary = install(tmp_path / "bin", "kagent")
    cluster = ClusterWith(0)

    assert aitools.detect("kagent", cluster, env) == aitools.Helper("kagent", binary)
    assert cluster.calls == [("get", "agents.kagent.dev", "k8s-agent", "-n", "kagent")]


def test_asks_kubectl_ai_quietly_with_the_attachment_on_stdin(tmp_path):
    helper = aitools.Helper("kubectl-ai", install(tmp_path / "bin", "kubectl-ai", 'echo "args: $*"; cat'))

    answer = aitools.ask(helper, "review these", "/tmp/kubeconfig", attachment="kind: Pod\n")

    assert answer.succeeded
    assert answer.stdout == "args: --quiet --kubeconfig /tmp/kubeconfig review these\nkind: Pod\n"


def test_asks_kagent_with_the_attachment_in_the_task(tmp_path, monkeypatch):
    monkeypatch.delenv("KAGENT_URL", raising=False)
    helper = aitools.Helper("kagent", install(tmp_path / "bin", "kagent", 'printf "%s|" "$@"'))

    answer = aitools.ask(helper, "review these", None, attachment="kind: Pod")

    assert answer.stdout == "invoke|--agent|k8s-agent|--task|review these\n\nkind: Pod|"


def test_returns_a_failed_answer_instead_of_raising(tmp_path):
    helper = aitools.Helper("kubectl-ai", install(tmp_path / "bin", "kubectl-ai", "echo 'quota exceeded' >&2; exit 3"))

    answer = aitools.ask(helper, "why", None)

    assert (answer.returncode, answer.stderr.strip()) == (3, "quota exceeded")
