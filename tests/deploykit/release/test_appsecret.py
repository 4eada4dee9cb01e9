"""deploykit.release.appsecret against a stand-in kubectl: the user's OpenAI settings reach the
Secret only through kubectl's standard input, the Secret mirrors the environment, and the JWT key
survives every run."""

import base64
import json

from deploykit.foundation.run import CommandResult
from deploykit.release import appsecret

KEY = "sk-test-not-a-real-key"


class StandInKubectl:
    """Secrets in a dict; every argv and stdin recorded."""

    def __init__(self, secrets: dict | None = None):
        self.secrets = secrets or {}  # name -> {"data": {...}, "labels": {...}}
        self.argvs: list[list[str]] = []
        self.inputs: list[str] = []

    def __call__(self, *args, check=True, input=None, timeout=120) -> CommandResult:
        argv = [str(a) for a in args]
        self.argvs.append(argv)
        if input is not None:
            self.inputs.append(input)
        if argv[:2] == ["get", "secret"] and "-l" in argv:
            items = [{"data": s["data"]} for s in self.secrets.values() if s.get("chart")]
            return CommandResult(argv, 0, json.dumps({"items": items}), "")
        if argv[:2] == ["get", "secret"]:
            secret = self.secrets.get(argv[2])
            if secret is None:
                return CommandResult(argv, 1, "", f'Error from server (NotFound): secrets "{argv[2]}" not found')
            return CommandResult(argv, 0, json.dumps({"data": secret["data"]}), "")
        raise AssertionError(f"unexpected kubectl {argv}")

    def apply(self, manifest: str, namespace: str | None = None) -> CommandResult:
        self.argvs.append(["apply", "-f", "-"])
        self.inputs.append(manifest)
        for item in json.loads(manifest)["items"]:
            if item["kind"] == "Secret":
                self.secrets[item["metadata"]["name"]] = {"data": item["data"]}
        return CommandResult(["apply"], 0, "", "")

    def data(self, name: str) -> dict:
        return {k: base64.b64decode(v).decode() for k, v in self.secrets[name]["data"].items()}


def encoded(**data: str) -> dict:
    return {k: base64.b64encode(v.encode()).decode() for k, v in data.items()}


def test_puts_the_openai_settings_in_the_secret_through_stdin_only():
    kubectl = StandInKubectl()
    environ = {"OPENAI_API_KEY": KEY, "OPENAI_BASE_URL": "https://llm.example/v1", "OPENAI_MODEL": "m", "HOME": "/x"}

    assert appsecret.apply(kubectl, "todo", "todo", environ) is True

    data = kubectl.data("todo-app")
    assert data["OPENAI_API_KEY"] == KEY
    assert data["OPENAI_BASE_URL"] == "https://llm.example/v1" and data["OPENAI_MODEL"] == "m"
    assert len(data["JWT_SECRET"]) >= 32 and "HOME" not in data
    assert not any(KEY in arg for argv in kubectl.argvs for arg in argv), "the key reached a command line"


def test_keeps_the_jwt_key_and_drops_a_key_no_longer_set():
    kubectl = StandInKubectl()
    appsecret.apply(kubectl, "todo", "todo", {"OPENAI_API_KEY": KEY})
    jwt = kubectl.data("todo-app")["JWT_SECRET"]

    assert appsecret.apply(kubectl, "todo", "todo", {"OPENAI_API_KEY": KEY}) is False  # nothing changed
    assert appsecret.apply(kubectl, "todo", "todo", {"OPENAI_API_KEY": ""}) is True

    assert kubectl.data("todo-app") == {"JWT_SECRET": jwt}


def test_takes_over_the_jwt_key_of_the_charts_own_secret():
    kubectl = StandInKubectl({"todo-todo-list-hackathon": {"chart": True, "data": encoded(JWT_SECRET="from-chart")}})

    appsecret.apply(kubectl, "todo", "todo", {})

    assert kubectl.data("todo-app") == {"JWT_SECRET": "from-chart"}


def test_manifest_creates_the_namespace_before_the_secret():
    kinds = [item["kind"] for item in json.loads(appsecret.manifest("todo-app", "todo", {"A": "b"}))["items"]]

    assert kinds == ["Namespace", "Secret"]
