"""deploykit.ops.opsmcp: the MCP server is read-only unless started with --allow-writes; a write tool
is then not even listed, and calling it anyway is refused with how to enable it. The release
operations are replaced by a recording stand-in here (the real ones run in
tests/cluster/test_ai_ops.py, over stdio against a real cluster)."""

import subprocess
import sys
from types import SimpleNamespace
from typing import Any

import pytest
from mcp import Client

from deploykit.foundation.errors import ClusterOperationFailed
from deploykit.ops.opsmcp import ReleaseOpsServer
from deploykit.ops.releaseops import READ_TOOLS, WRITE_TOOLS, Component, ReleaseOps


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


class RecordingOps(ReleaseOps):
    """ReleaseOps with every tool answering from memory and recording its calls."""

    def __init__(self):
        super().__init__(SimpleNamespace(name="todo", namespace="todo"))
        self.calls = []

    def release_status(self) -> dict[str, Any]:
        return {"release": "todo", "revision": 3, "pods": [], "causes": []}

    def recent_events(self, limit: int = 20) -> list[dict[str, Any]]:
        return []

    def pod_logs(self, pod: str, tail: int = 50, previous: bool = False) -> str:
        raise ClusterOperationFailed(f"pod {pod!r} is not a pod of release todo in namespace todo")

    def rollout_history(self) -> list[dict[str, Any]]:
        return [{"revision": 3, "status": "deployed"}]

    def diagnose(self) -> str:
        return "Diagnostics of release todo"

    def rollout_restart(self, component: Component) -> str:
        self.calls.append(("rollout_restart", component))
        return f"deployment/{component} restarted"

    def rollback(self, revision: int | None = None) -> list[dict[str, Any]]:
        self.calls.append(("rollback", revision))
        return []

    def scale(self, component: Component, replicas: int) -> str:
        self.calls.append(("scale", component, replicas))
        return f"deployment/{component} scaled to {replicas} replica(s)"


async def tools_of(server) -> dict:
    async with Client(server) as client:
        return {tool.name: tool for tool in (await client.list_tools()).tools}


async def call(server, name, arguments):
    async with Client(server) as client:
        return await client.call_tool(name, arguments)


@pytest.mark.anyio
async def test_lists_only_the_read_tools_by_default():
    tools = await tools_of(ReleaseOpsServer(RecordingOps(), allow_writes=False))

    assert set(tools) == set(READ_TOOLS)
    assert all(tool.annotations.read_only_hint for tool in tools.values())


@pytest.mark.anyio
async def test_refuses_a_write_tool_saying_how_to_enable_it():
    ops = RecordingOps()

    result = await call(ReleaseOpsServer(ops, allow_writes=False), "scale", {"component": "backend", "replicas": 3})

    assert result.is_error
    assert "scale changes the release, and this server is read-only: restart it with --allow-writes" in \
        result.content[0].text
    assert ops.calls == []


@pytest.mark.anyio
async def test_lists_the_write_tools_with_allow_writes():
    tools = await tools_of(ReleaseOpsServer(RecordingOps(), allow_writes=True))

    assert set(tools) == {*READ_TOOLS, *WRITE_TOOLS}
    assert not any(tools[name].annotations.read_only_hint for name in WRITE_TOOLS)
    assert tools["scale"].input_schema["properties"]["component"]["enum"] == ["backend", "frontend"]


@pytest.mark.anyio
async def test_calls_a_write_tool_with_allow_writes():
    ops = RecordingOps()

    result = await call(ReleaseOpsServer(ops, allow_writes=True), "scale", {"component": "frontend", "replicas": 2})

    assert not result.is_error
    assert ops.calls == [("scale", "frontend", 2)]


@pytest.mark.anyio
async def test_answers_a_read_tool_with_structured_content():
    result = await call(ReleaseOpsServer(RecordingOps(), allow_writes=False), "release_status", {})

    assert result.structured_content["revision"] == 3


@pytest.mark.anyio
async def test_reports_an_operations_error_as_its_one_line_message():
    result = await call(ReleaseOpsServer(RecordingOps(), allow_writes=False), "pod_logs", {"pod": "elsewhere"})

    assert result.is_error
    assert result.content[0].text == "pod 'elsewhere' is not a pod of release todo in namespace todo"


@pytest.mark.anyio
async def test_rejects_a_component_that_has_no_deployment():
    ops = RecordingOps()

    result = await call(ReleaseOpsServer(ops, allow_writes=True), "scale", {"component": "postgresql", "replicas": 0})

    assert result.is_error
    assert ops.calls == []


def test_exits_with_one_line_when_the_release_cannot_be_read(tmp_path, monkeypatch):
    monkeypatch.setenv("KUBECONFIG", str(tmp_path / "no-such-kubeconfig"))
    monkeypatch.setenv("DEPLOYKIT_LOG_LEVEL", "WARNING")  # a first run's download line is progress, not output

    done = subprocess.run([sys.executable, "-m", "deploykit.ops.opsmcp", "--cluster", "existing", "--release", "todo"],
                          capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)

    assert done.returncode == 2
    assert done.stdout == ""  # stdout is the MCP channel
    assert done.stderr.startswith("configuration error: cannot read release todo in namespace todo: ")
    assert done.stderr.count("\n") == 1
