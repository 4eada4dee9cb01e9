"""The optional AI helpers, kubectl-ai and kagent: are they here, are they configured, and how to
ask them one question non-interactively. Each reason a helper cannot answer is one line (an
AiHelperUnavailable), so the caller can say it and go on with the manual procedure.

kubectl-ai (https://github.com/GoogleCloudPlatform/kubectl-ai) reads its LLM provider from
~/.config/kubectl-ai/config.yaml (`llm-provider`, default gemini) and the provider's key from the
environment. kagent (https://kagent.dev) answers through an Agent running in the cluster, created by
`kagent install`; the CLI only reaches it, so the check is that the Agent exists.
"""

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import yaml

from deploykit.foundation.errors import AiHelperUnavailable
from deploykit.foundation.run import CommandResult, run
from deploykit.tools.kubectl import Kubectl

KUBECTL_AI = "kubectl-ai"
KAGENT = "kagent"
HELPERS = (KUBECTL_AI, KAGENT)
# Environment each kubectl-ai provider needs, from its README; the others use local servers or
# cloud credentials of their own (vertexai, bedrock, ollama, llamacpp), which cannot be checked here.
PROVIDER_ENV = {
    "gemini": ("GEMINI_API_KEY",),
    "openai": ("OPENAI_API_KEY",),
    "azopenai": ("AZURE_OPENAI_API_KEY", "AZURE_OPENAI_ENDPOINT"),
    "grok": ("GROK_API_KEY",),
}
KAGENT_NAMESPACE = "kagent"
KAGENT_AGENT = "k8s-agent"
INSTALL_HINTS = {
    KUBECTL_AI: "https://github.com/GoogleCloudPlatform/kubectl-ai#installation",
    KAGENT: "https://kagent.dev/docs/kagent/getting-started/quickstart/",
}
# An agent may run several kubectl calls against a slow model; past this it is stuck.
ANSWER_TIMEOUT_S = 300


@dataclass(frozen=True)
class Helper:
    name: str
    binary: str


def kubectl_ai_config(env: dict) -> Path:
    config_home = env.get("XDG_CONFIG_HOME") or str(Path(env.get("HOME", "~")).expanduser() / ".config")
    return Path(config_home) / "kubectl-ai" / "config.yaml"


def kubectl_ai_provider(env: dict) -> str:
    """The provider kubectl-ai will use: its config file's `llm-provider`, else gemini.
    "openai://host" (an OpenAI-compatible endpoint) counts as openai."""
    path = kubectl_ai_config(env)
    try:
        config = yaml.safe_load(path.read_text()) if path.is_file() else {}
    except (OSError, yaml.YAMLError) as error:
        flat = " ".join(str(error).split())  # YAML errors span lines; this must stay one
        raise AiHelperUnavailable(f"{KUBECTL_AI}: cannot read {path}: {flat}") from None
    provider = str((config or {}).get("llm-provider") or "gemini")
    return provider.split("://", 1)[0]


def _installed(name: str, env: dict) -> str:
    binary = shutil.which(name, path=env.get("PATH", os.defpath))
    if not binary:
        raise AiHelperUnavailable(f"{name}: not installed (no {name} on PATH; see {INSTALL_HINTS[name]})")
    return binary


def detect(name: str, kubectl: Kubectl, env: dict | None = None) -> Helper:
    """The helper when it is installed and configured; AiHelperUnavailable (one line) otherwise."""
    env = dict(os.environ if env is None else env)
    binary = _installed(name, env)
    if name == KUBECTL_AI:
        provider = kubectl_ai_provider(env)
        missing = [key for key in PROVIDER_ENV.get(provider, ()) if not env.get(key)]
        if missing:
            raise AiHelperUnavailable(
                f"{KUBECTL_AI}: found at {binary}, but its provider {provider} needs {' and '.join(missing)} "
                f"(set it, or choose another provider with llm-provider in {kubectl_ai_config(env)})")
    else:
        agent = kubectl("get", "agents.kagent.dev", KAGENT_AGENT, "-n", KAGENT_NAMESPACE, check=False, timeout=20)
        if not agent.succeeded:
            raise AiHelperUnavailable(
                f"{KAGENT}: found at {binary}, but this cluster has no kagent Agent {KAGENT_AGENT} in namespace "
                f"{KAGENT_NAMESPACE} (install it with `kagent install`, which needs OPENAI_API_KEY)")
    return Helper(name, binary)


def question_argv(helper: Helper, question: str, kubeconfig: str | None) -> list[str]:
    """How to ask one question and get one answer, without a chat session."""
    if helper.name == KUBECTL_AI:
        return [helper.binary, "--quiet", *(["--kubeconfig", kubeconfig] if kubeconfig else []), question]
    url = os.environ.get("KAGENT_URL")  # where the kagent API answers, when not the CLI's default
    return [helper.binary, "invoke", "--agent", KAGENT_AGENT, "--task", question,
            *(["--kagent-url", url] if url else [])]


def ask(helper: Helper, question: str, kubeconfig: str | None, attachment: str | None = None) -> CommandResult:
    """The helper's answer; a non-zero exit or a timeout is returned, not raised, since the caller
    falls back to the manual procedure. kubectl-ai reads an attachment on stdin after the question;
    kagent's task is text only, so the attachment is appended to it."""
    stdin = attachment
    if helper.name == KAGENT and attachment:
        question, stdin = f"{question}\n\n{attachment}", None
    argv = question_argv(helper, question, kubeconfig)
    env = {**os.environ, **({"KUBECONFIG": kubeconfig} if kubeconfig else {})}
    try:
        return run(argv, check=False, input=stdin, env=env, timeout=ANSWER_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        return CommandResult(argv, 124, "", f"no answer within {ANSWER_TIMEOUT_S} s")
